/**
 * EPUB (2 and 3): the package document (OPF) gives the metadata and the
 * reading order (spine); each chapter is XHTML, converted by the HTML
 * converter (rehype's HTML parser: no DTDs, no entity declarations). Chapter
 * titles come from the navigation document (EPUB 3 nav or EPUB 2 NCX); the
 * print edition's page numbers from its page-list, as page markers. Note
 * references (`epub:type="noteref"`) link across chapters; the notes join the
 * reading's notes. `options.chapters` converts only some chapters.
 */
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   fast-xml-parser returns untyped trees; every value read from them goes through String()/textOf() or is checked. */
import path from "node:path/posix";
import type { Element, Root } from "hast";
import { XMLParser } from "fast-xml-parser";
import { ConversionRefusal, type ConvertOptions } from "../types";
import { newDraft, type ReadingDraft } from "../reading-draft";
import type { SafeZip } from "../zip";
import { addImage, convertHtmlTree, parseHtml, plainText } from "./html";

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  isArray: (name) =>
    ["item", "itemref", "rootfile", "navPoint", "pageTarget", "creator", "title", "date"].includes(name),
});

type Manifest = Map<string, { href: string; mediaType: string; properties: string }>;

/** Converts an EPUB. */
export async function convertEpub(
  zip: SafeZip,
  options: Pick<ConvertOptions, "chapters" | "onProgress"> = {},
): Promise<ReadingDraft> {
  const container = xml.parse(await zip.text("META-INF/container.xml"));
  const opfPath: string | undefined = container?.container?.rootfiles?.rootfile?.[0]?.["full-path"];
  if (!opfPath || !zip.has(opfPath))
    throw new ConversionRefusal("malformed", "The EPUB has no package document.", 422);
  const opf = xml.parse(await zip.text(opfPath))?.package;
  if (!opf) throw new ConversionRefusal("malformed", "The EPUB's package document cannot be read.", 422);
  const base = path.dirname(opfPath);
  const resolve = (from: string, href: string) =>
    path.normalize(path.join(from === "." ? "" : from, decodeURIComponent(href)));

  const manifest: Manifest = new Map();
  for (const item of opf.manifest?.item ?? []) {
    manifest.set(String(item.id), {
      href: resolve(base, String(item.href)),
      mediaType: String(item["media-type"] ?? ""),
      properties: String(item.properties ?? ""),
    });
  }
  const spine: string[] = (opf.spine?.itemref ?? [])
    .filter((ref: { linear?: string }) => ref.linear !== "no")
    .map((ref: { idref: string }) => manifest.get(String(ref.idref))?.href)
    .filter((href: string | undefined): href is string => Boolean(href) && zip.has(href as string));
  if (spine.length === 0)
    throw new ConversionRefusal("malformed", "The EPUB has no chapters in its reading order.", 422);

  const draft = newDraft();
  const meta = opf.metadata ?? {};
  draft.title = textOf(meta.title?.[0]);
  draft.byline = (meta.creator ?? []).map(textOf).filter(Boolean).join(", ");
  draft.source = textOf(meta.publisher);
  const date = textOf(meta.date?.[0]);
  draft.date = date ? date.slice(0, 10) : null;

  // Navigation: chapter titles and the page-list.
  const titles = new Map<string, string>();
  const pageBreaks = new Map<string, Map<string, string>>();
  const addPage = (href: string, label: string, from: string) => {
    const [file, id] = href.split("#");
    if (!file || !id) return;
    const target = resolve(from, file);
    if (!pageBreaks.has(target)) pageBreaks.set(target, new Map());
    pageBreaks.get(target)?.set(id, label);
  };
  const navItem = [...manifest.values()].find((item) => item.properties.split(/\s+/).includes("nav"));
  if (navItem && zip.has(navItem.href)) {
    const nav = parseHtml(await zip.text(navItem.href));
    const navBase = path.dirname(navItem.href);
    for (const element of elements(nav, "nav")) {
      const type = `${String(element.properties?.["epub:type"] ?? "")} ${String(element.properties?.epubType ?? "")}`;
      for (const a of elements(element, "a")) {
        const href = String(a.properties?.href ?? "");
        if (/page-list/.test(type)) addPage(href, plainText(a).trim(), navBase);
        // The table of contents names chapters; landmarks name what it leaves out (a title page).
        else if (/toc|landmarks/.test(type)) {
          const file = resolve(navBase, href.split("#")[0] ?? "");
          if (!titles.has(file)) titles.set(file, plainText(a).trim());
        }
      }
    }
  } else {
    const ncxItem = [...manifest.values()].find((item) => item.mediaType === "application/x-dtbncx+xml");
    if (ncxItem && zip.has(ncxItem.href)) {
      const ncx = xml.parse(await zip.text(ncxItem.href))?.ncx;
      const ncxBase = path.dirname(ncxItem.href);
      const walkPoints = (points: unknown[] | undefined) => {
        for (const point of (points ?? []) as {
          navLabel?: { text?: unknown };
          content?: { src?: string };
          navPoint?: unknown[];
        }[]) {
          const file = resolve(ncxBase, String(point.content?.src ?? "").split("#")[0] ?? "");
          if (!titles.has(file)) titles.set(file, textOf(point.navLabel?.text));
          walkPoints(point.navPoint);
        }
      };
      walkPoints(ncx?.navMap?.navPoint);
      for (const target of ncx?.pageList?.pageTarget ?? [])
        addPage(String(target.content?.src ?? ""), textOf(target.navLabel?.text), ncxBase);
    }
  }

  draft.chapters = spine.map((href, index) => ({ title: titles.get(href) || `Part ${index + 1}`, index }));
  const chosen = new Set(
    options.chapters && options.chapters.length > 0 ? options.chapters : spine.map((_, i) => i),
  );
  for (const index of chosen) {
    if (!Number.isInteger(index) || index < 0 || index >= spine.length) {
      throw new ConversionRefusal("invalid-chapter", `The EPUB has no chapter ${index + 1}.`, 400);
    }
  }

  // Note references may point into another chapter (a notes file): parse every chapter, convert the chosen ones.
  const trees: { href: string; tree: Root }[] = [];
  for (const href of spine) trees.push({ href, tree: parseHtml(await zip.text(href)) });
  const imageBytes = new Map<string, { key: string } | null>();
  for (const [i, { href, tree }] of trees.entries()) {
    options.onProgress?.({ stage: "converting", fraction: 0.1 + (0.8 * i) / trees.length });
    if (!chosen.has(i)) continue;
    rewriteCrossChapterLinks(tree, href, spine, trees);
    const dir = path.dirname(href);
    // Images: only entries of the archive, read now (the resolver is synchronous).
    for (const img of elements(tree, "img")) {
      const src = String(img.properties?.src ?? "");
      const target = resolve(dir, src);
      if (imageBytes.has(target) || /^[a-z]+:/i.test(src)) continue;
      const item = [...manifest.values()].find((entry) => entry.href === target);
      const type = item?.mediaType ?? "";
      imageBytes.set(
        target,
        zip.has(target) && /^image\/(png|jpeg|gif|webp)$/.test(type)
          ? addImage(draft, type, await zip.bytes(target), String(img.properties?.alt ?? ""))
          : null,
      );
    }
    convertHtmlTree(tree, {
      draft,
      idPrefix: "",
      takeTitle: false,
      pageBreaks: pageBreaks.get(href),
      resolveImage: (src) => (/^[a-z]+:/i.test(src) ? null : (imageBytes.get(resolve(dir, src)) ?? null)),
    });
  }
  if (!draft.title) draft.title = draft.chapters[0]?.title ?? "";
  return draft;
}

/**
 * A note reference to `notes.xhtml#n1` becomes `#n1`, with the note element
 * appended (hidden from the body by the HTML converter, which drops notes).
 */
function rewriteCrossChapterLinks(
  tree: Root,
  href: string,
  spine: string[],
  trees: { href: string; tree: Root }[],
) {
  const dir = path.dirname(href);
  const body = elements(tree, "body")[0] ?? tree;
  for (const a of elements(tree, "a")) {
    const link = String(a.properties?.href ?? "");
    const [file, id] = link.split("#");
    if (!file || !id || /^[a-z]+:/i.test(link)) continue;
    const target = path.normalize(path.join(dir, decodeURIComponent(file)));
    if (target === href || !spine.includes(target)) continue;
    const other = trees.find((entry) => entry.href === target);
    const note = other
      ? elements(other.tree, "*").find((element) => element.properties?.id === id)
      : undefined;
    if (!note) continue;
    a.properties = { ...a.properties, href: `#${id}` };
    (body as Element).children.push(structuredClone(note));
  }
}

function elements(node: Root | Element, tagName: string): Element[] {
  const out: Element[] = [];
  const visit = (parent: Root | Element) => {
    for (const child of parent.children) {
      if (child.type !== "element") continue;
      if (tagName === "*" || child.tagName === tagName) out.push(child);
      visit(child);
    }
  };
  visit(node);
  return out;
}

function textOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string" || typeof value === "number") return String(value).trim();
  if (Array.isArray(value)) return textOf(value[0]);
  if (typeof value === "object" && "#text" in value) return textOf(value["#text"]);
  return "";
}
