"use client";

import type { MouseEvent } from "react";
import {
  CONTENTS_MIN_HEADINGS,
  nestContents,
  type ContentsEntry,
  type ContentsTreeItem,
} from "@/lib/shared/documents/table-of-contents";
import "./table-of-contents.css";

/**
 * The heading a link means: the n-th shown heading with its id (a second
 * "Notes" shares the first one's id on the reading page). Headings inside a
 * hidden element (the live text before it is in sync) do not count.
 */
function findHeading(id: string, occurrence: number): HTMLElement | null {
  const shown = Array.from(document.querySelectorAll<HTMLElement>("#reading-column .doc-heading")).filter(
    (heading) => heading.id === id && !heading.closest("[hidden]"),
  );
  return shown[occurrence] ?? null;
}

/**
 * Jumps to a heading that shares its id with an earlier one; the first of an
 * id is left to the browser's own fragment navigation (which also moves the
 * keyboard's starting point there).
 */
function jump(event: MouseEvent<HTMLAnchorElement>, id: string, occurrence: number) {
  if (occurrence === 0) return;
  const heading = findHeading(id, occurrence);
  if (!heading) return;
  event.preventDefault();
  heading.scrollIntoView({ block: "start" });
}

function Entries({
  items,
  occurrences,
}: {
  items: ContentsTreeItem[];
  occurrences: Map<ContentsEntry, number>;
}) {
  return (
    <ol>
      {items.map((item, index) => {
        const occurrence = occurrences.get(item) ?? 0;
        return (
          <li key={`${item.id}-${index}`}>
            <a href={`#${item.id}`} onClick={(event) => jump(event, item.id, occurrence)}>
              {item.text}
            </a>
            {item.children.length > 0 && <Entries items={item.children} occurrences={occurrences} />}
          </li>
        );
      })}
    </ol>
  );
}

/**
 * The contents of a long text (three or more section headings): a landmark
 * navigation above the text, folded until opened, whose links jump to the
 * headings. Nothing is shown for a shorter text.
 */
export function TableOfContents({ entries }: { entries: ContentsEntry[] }) {
  if (entries.length < CONTENTS_MIN_HEADINGS) return null;
  const tree = nestContents(entries);
  // Which occurrence of its id each entry is, counted in document order.
  const occurrences = new Map<ContentsEntry, number>();
  const seen = new Map<string, number>();
  const count = (items: ContentsTreeItem[]) => {
    for (const item of items) {
      const n = seen.get(item.id) ?? 0;
      occurrences.set(item, n);
      seen.set(item.id, n + 1);
      count(item.children);
    }
  };
  count(tree);
  return (
    <div className="reading-toc-row">
      <nav className="reading-toc" aria-label="Contents">
        <details>
          <summary>
            Contents <span className="reading-toc-count">{entries.length} sections</span>
          </summary>
          <Entries items={tree} occurrences={occurrences} />
        </details>
      </nav>
    </div>
  );
}
