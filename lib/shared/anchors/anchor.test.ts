import { readFileSync } from "node:fs";
import path from "node:path";
import type { Node as PMNode } from "@tiptap/pm/model";
import { canSplit } from "@tiptap/pm/transform";
import type { Transaction } from "@tiptap/pm/state";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { importText } from "../documents/import-text";
import { getReadingSchema } from "../schema/reading-schema";
import {
  createAnchor,
  createAnchorResolver,
  decodeRelativePosition,
  resolveAnchor,
  type AnchorResolution,
  type StoredAnchor,
} from "./anchor";
import { ZStoredAnchor } from "./anchor-schema";
import {
  cloneDoc,
  EditingSession,
  findRange,
  plainTextBetween,
  seedTextRoom,
  syncDocs,
} from "./anchor-test-kit";
import { encodeBase64 } from "./base64";
import { buildTextIndex } from "./text-index";
import { createPositionMapper } from "./y-positions";

const ESSAY = importText(
  readFileSync(
    path.resolve(import.meta.dirname, "../../../content/texts/trotsky-guest-of-the-revolution.txt"),
    "utf8",
  ),
);

/** Passages of the essay to anchor, one per kind of place. */
const PASSAGES = [
  {
    name: "inside one paragraph",
    exact: "the savage, the exotic Mexico that had become famous during its own revolution",
  },
  {
    name: "across a footnote reference",
    exact: "must be brought down with no pity!” These were some of the words",
  },
  {
    name: "across two paragraphs",
    exact: "General Francisco Múgica.\nIn exactly five minutes, the Mexican President",
  },
  {
    name: "inside a block quote",
    exact: "the privilege of asylum for all who have been exiled because of political reasons",
  },
  {
    name: "inside a footnote's note",
    exact: "It came to Mexico in April 1937, and for 10 days thoroughly interrogated Trotsky",
  },
] as const;

type Passage = (typeof PASSAGES)[number];

/** A fresh text room with one anchored passage. */
function setUp(exact: string) {
  const { doc, fragment } = seedTextRoom(ESSAY.content);
  const session = new EditingSession(doc, fragment);
  const { from, to } = findRange(session.pmDoc, exact);
  const anchor = createAnchor({ doc, fragment, pmDoc: session.pmDoc, from, to });
  return { doc, fragment, session, anchor, from, to };
}

function resolveIn(session: EditingSession, anchor: StoredAnchor): AnchorResolution {
  return resolveAnchor({ doc: session.doc, fragment: session.fragment, pmDoc: session.pmDoc, anchor });
}

function textOf(pmDoc: PMNode, resolution: AnchorResolution): string | null {
  return resolution.status === "anchored" ? plainTextBetween(pmDoc, resolution.from, resolution.to) : null;
}

/** The offset in `exact` of the space nearest its middle that is not beside a block break. */
function middleSpace(exact: string): number {
  const middle = exact.length >> 1;
  for (let d = 0; d < exact.length; d++) {
    for (const k of [middle - d, middle + d]) {
      if (exact[k] === " " && exact[k - 1] !== "\n" && exact[k + 1] !== "\n") return k;
    }
  }
  throw new Error("No space in the passage.");
}

/** The range of the block around `pos` that holds the passage: a footnote, or a top-level block. */
function blockAround(pmDoc: PMNode, pos: number): { from: number; to: number } {
  const $pos = pmDoc.resolve(pos);
  const depth = $pos.node(1).type.name === "footnotes" ? 2 : 1;
  return { from: $pos.before(depth), to: $pos.after(depth) };
}

/** Splits the textblock at `pos` like Enter: the paragraph, or the note when a note holds one paragraph only. */
function splitAt(tr: Transaction, pos: number) {
  tr.split(pos, canSplit(tr.doc, pos) ? 1 : 2);
}

type Expected = {
  status: "anchored" | "orphaned";
  text?: string;
  method?: "relative" | "quote";
  isQuoteChanged?: boolean;
};

type EditCase = {
  name: string;
  /** Applies the edit; returns what resolving should give. */
  apply: (session: EditingSession, passage: Passage, range: { from: number; to: number }) => Expected;
};

const INSERTED = "NEW WORDS ";

/** Edits every passage must survive (or, for deletion, be orphaned by). */
const EDIT_CASES: EditCase[] = [
  {
    name: "an edit before the highlight shifts it",
    apply: (session, passage) => {
      session.edit((tr) => tr.insertText("Before all that, ", findRange(session.pmDoc, "INFAMOUS").from));
      return { status: "anchored", text: passage.exact, method: "relative", isQuoteChanged: false };
    },
  },
  {
    name: "text typed at the start edge stays outside",
    apply: (session, passage, { from }) => {
      session.edit((tr) => tr.insertText("XYZ ", from));
      return { status: "anchored", text: passage.exact, method: "relative", isQuoteChanged: false };
    },
  },
  {
    name: "text typed at the end edge stays outside",
    apply: (session, passage, { to }) => {
      session.edit((tr) => tr.insertText(" XYZ", to));
      return { status: "anchored", text: passage.exact, method: "relative", isQuoteChanged: false };
    },
  },
  {
    name: "an edit inside is covered and flags the quote as changed",
    apply: (session, passage) => {
      const k = middleSpace(passage.exact) + 1;
      const at = findRange(session.pmDoc, passage.exact.slice(k)).from;
      session.edit((tr) => tr.insertText(INSERTED, at));
      const text = passage.exact.slice(0, k) + INSERTED + passage.exact.slice(k);
      return { status: "anchored", text, method: "relative", isQuoteChanged: true };
    },
  },
  {
    name: "splitting the paragraph inside the highlight keeps it across both halves",
    apply: (session, passage) => {
      const k = middleSpace(passage.exact) + 1;
      const at = findRange(session.pmDoc, passage.exact.slice(k)).from;
      session.edit((tr) => splitAt(tr, at));
      const text = `${passage.exact.slice(0, k)}\n${passage.exact.slice(k)}`;
      return { status: "anchored", text, isQuoteChanged: true };
    },
  },
  {
    name: "splitting the paragraph before the highlight moves it along",
    apply: (session, passage) => {
      const at = findRange(session.pmDoc, passage.exact).from - 1;
      session.edit((tr) => splitAt(tr, at));
      return { status: "anchored", text: passage.exact, isQuoteChanged: false };
    },
  },
  {
    name: "deleting the paragraph that holds it orphans it",
    apply: (session, _passage, { from, to }) => {
      const first = blockAround(session.pmDoc, from);
      const last = blockAround(session.pmDoc, to);
      session.edit((tr) => tr.delete(first.from, last.to));
      return { status: "orphaned" };
    },
  },
];

describe("anchors through edits", () => {
  for (const passage of PASSAGES) {
    describe(`a highlight ${passage.name}`, () => {
      it("resolves by its relative positions before any edit", () => {
        const { session, anchor, from, to } = setUp(passage.exact);
        expect(anchor.quote.exact).toBe(passage.exact);
        expect(ZStoredAnchor.safeParse(anchor).success).toBe(true);
        expect(resolveIn(session, anchor)).toEqual({
          status: "anchored",
          from,
          to,
          method: "relative",
          isQuoteChanged: false,
        });
      });

      it.each(EDIT_CASES)("$name", ({ apply }) => {
        const { session, anchor, from, to } = setUp(passage.exact);
        const expected = apply(session, passage, { from, to });
        const resolution = resolveIn(session, anchor);
        expect(resolution.status).toBe(expected.status);
        if (resolution.status !== "anchored") return;
        expect(textOf(session.pmDoc, resolution)).toBe(expected.text);
        if (expected.method) expect(resolution.method).toBe(expected.method);
        if (expected.isQuoteChanged !== undefined)
          expect(resolution.isQuoteChanged).toBe(expected.isQuoteChanged);
      });
    });
  }
});

describe("anchors through edits of one kind of place", () => {
  it.each([
    {
      name: "merging the paragraph with the next keeps a highlight inside it",
      exact: "Diego Rivera, the famous Mexican muralist",
      edit: (session: EditingSession, range: { from: number }) =>
        session.edit((tr) => tr.join(blockAround(session.pmDoc, range.from).to)),
      expected: {
        text: "Diego Rivera, the famous Mexican muralist",
        method: "relative",
        isQuoteChanged: false,
      },
    },
    {
      name: "merging two paragraphs a highlight spans finds it by its quote",
      exact: "General Francisco Múgica.\nIn exactly five minutes",
      edit: (session: EditingSession, range: { from: number }) =>
        session.edit((tr) => tr.join(blockAround(session.pmDoc, range.from).to)),
      expected: {
        text: "General Francisco Múgica.In exactly five minutes",
        method: "quote",
        isQuoteChanged: true,
      },
    },
    {
      name: "a slightly reworded passage, its first and last words retyped, is found by its fuzzy quote",
      exact: "the savage, the exotic Mexico that had become famous during its own revolution",
      edit: (session: EditingSession, range: { from: number; to: number }) =>
        session.edit((tr) =>
          tr.insertText(
            "The savage, the exotic Mexico which had become famous during its own revolt",
            range.from,
            range.to,
          ),
        ),
      expected: {
        text: "The savage, the exotic Mexico which had become famous during its own revolt",
        method: "quote",
        isQuoteChanged: true,
      },
    },
    {
      name: "a passage reworded inside keeps its relative positions",
      exact: "the savage, the exotic Mexico that had become famous during its own revolution",
      edit: (session: EditingSession, range: { from: number; to: number }) =>
        session.edit((tr) =>
          tr.insertText(
            "the savage and exotic Mexico, which had become famous during its own revolution",
            range.from,
            range.to,
          ),
        ),
      expected: {
        text: "the savage and exotic Mexico, which had become famous during its own revolution",
        method: "relative",
        isQuoteChanged: true,
      },
    },
    {
      name: "a passage whose first and last letters are retyped keeps them",
      exact: "Cárdenas never changed his attitude towards him",
      edit: (session: EditingSession, range: { from: number; to: number }) => {
        session.edit((tr) => tr.insertText("K", range.from, range.from + 1));
        session.edit((tr) => tr.insertText("M", range.to - 1, range.to));
      },
      expected: {
        text: "Kárdenas never changed his attitude towards hiM",
        method: "quote",
        isQuoteChanged: true,
      },
    },
    {
      name: "a passage whose first word is deleted starts at the next word",
      exact: "Cárdenas never changed his attitude towards him",
      edit: (session: EditingSession, range: { from: number; to: number }) =>
        session.edit((tr) => tr.delete(range.from, range.from + "Cárdenas ".length)),
      expected: {
        text: "never changed his attitude towards him",
        method: "relative",
        isQuoteChanged: true,
      },
    },
  ])("$name", ({ exact, edit, expected: { text, ...expected } }) => {
    const { session, anchor, from, to } = setUp(exact);
    edit(session, { from, to });
    const resolution = resolveIn(session, anchor);
    expect(textOf(session.pmDoc, resolution)).toBe(text);
    expect(resolution).toMatchObject({ status: "anchored", ...expected });
  });

  it("re-anchors by quote when its paragraph is deleted but the same words stand elsewhere", () => {
    const exact = "Why did Cárdenas decide to grant asylum to León Trotsky?";
    const { session, anchor, from } = setUp(exact);
    // An instructor moves the question into the last paragraph of the text…
    session.edit((tr) =>
      tr.insertText(` ${exact}`, findRange(session.pmDoc, "guest of the Mexican Revolution.”").to),
    );
    // …and deletes the paragraph it came from.
    const block = blockAround(session.pmDoc, from);
    session.edit((tr) => tr.delete(block.from, block.to));

    const resolution = resolveIn(session, anchor);
    expect(resolution).toMatchObject({ status: "anchored", method: "quote", isQuoteChanged: false });
    expect(textOf(session.pmDoc, resolution)).toBe(exact);
    const moved = findRange(session.pmDoc, exact);
    expect(resolution).toMatchObject({ from: moved.from, to: moved.to });
  });
});

describe("concurrent edits", () => {
  it.each([
    {
      name: "an edit before and an edit inside",
      exact: "the savage, the exotic Mexico that had become famous during its own revolution",
      a: (s: EditingSession) =>
        s.edit((tr) => tr.insertText("Then, ", findRange(s.pmDoc, "How did this happen?").from)),
      b: (s: EditingSession) =>
        s.edit((tr) => tr.insertText("wild, ", findRange(s.pmDoc, "the exotic Mexico").from)),
      text: "the savage, wild, the exotic Mexico that had become famous during its own revolution",
    },
    {
      name: "typing at the start edge while the middle is split",
      exact: "the privilege of asylum for all who have been exiled because of political reasons",
      a: (s: EditingSession) =>
        s.edit((tr) => tr.insertText("[", findRange(s.pmDoc, "the privilege of asylum").from)),
      b: (s: EditingSession) => s.edit((tr) => splitAt(tr, findRange(s.pmDoc, "who have been exiled").from)),
      text: "the privilege of asylum for all \nwho have been exiled because of political reasons",
    },
    {
      name: "typing inside while the other types at the end edge",
      exact: "Mister Trotsky can come to Mexico",
      a: (s: EditingSession) =>
        s.edit((tr) => tr.insertText("Leon ", findRange(s.pmDoc, "Trotsky can come").from)),
      b: (s: EditingSession) =>
        s.edit((tr) => tr.insertText(" at once", findRange(s.pmDoc, "Trotsky can come to Mexico").to)),
      text: "Mister Leon Trotsky can come to Mexico",
    },
    {
      name: "one deletes the paragraph while the other types in it",
      exact: "Diego Rivera, the famous Mexican muralist",
      a: (s: EditingSession) => {
        const block = blockAround(s.pmDoc, findRange(s.pmDoc, "Diego Rivera").from);
        s.edit((tr) => tr.delete(block.from, block.to));
      },
      b: (s: EditingSession) =>
        s.edit((tr) => tr.insertText("great ", findRange(s.pmDoc, "famous Mexican").from)),
      text: null,
    },
  ])("both peers resolve the anchor alike after $name", ({ exact, a, b, text }) => {
    const first = setUp(exact);
    const copy = cloneDoc(first.doc);
    const second = new EditingSession(copy.doc, copy.fragment);
    a(first.session);
    b(second);
    syncDocs(first.doc, copy.doc);
    first.session.refresh();
    second.refresh();
    expect(first.session.pmDoc.eq(second.pmDoc)).toBe(true);

    const one = resolveIn(first.session, first.anchor);
    const other = resolveIn(second, first.anchor);
    expect(other).toEqual(one);
    expect(textOf(first.session.pmDoc, one)).toBe(text);
  });
});

describe("bad anchors", () => {
  const { doc, fragment, session, anchor } = setUp("Lázaro Cárdenas never changed his attitude");
  const foreign = new Y.Doc();
  foreign.getXmlFragment("text").insert(0, [new Y.XmlText("another text")]);
  const foreignPosition = encodeBase64(
    Y.encodeRelativePosition(
      Y.createRelativePositionFromTypeIndex(foreign.getXmlFragment("text").get(0) as Y.XmlText, 3),
    ),
  );
  const nowhere = { exact: "words that appear nowhere in this essay at all", prefix: "", suffix: "" };

  it.each([
    ["null", null, false],
    ["a string", "anchor", false],
    ["an empty object", {}, false],
    ["malformed base64 and no quote", { start: "!!!", end: "%%%" }, false],
    [
      "base64 that is not a relative position",
      { start: "AAAA", end: "////", quote: nowhere, position: { start: 0, end: 1 } },
      true,
    ],
    [
      "truncated relative positions",
      { start: anchor.start.slice(0, 4), end: anchor.end.slice(0, 4), quote: nowhere },
      false,
    ],
    [
      "positions of another document",
      { start: foreignPosition, end: foreignPosition, quote: nowhere },
      false,
    ],
    [
      "the right positions reversed",
      { ...anchor, start: anchor.end, end: anchor.start, quote: nowhere },
      true,
    ],
    ["wrongly typed fields", { start: 1, end: [], quote: { exact: 5 }, position: "here" }, false],
    ["an empty quote", { start: "", end: "", quote: { exact: "", prefix: "", suffix: "" } }, false],
  ])("orphans %s without throwing", (_name, bad, isWellFormed) => {
    expect(resolveIn(session, bad as unknown as StoredAnchor)).toEqual({ status: "orphaned" });
    // The schema checks shape and bounds; only resolving can tell where positions point.
    expect(ZStoredAnchor.safeParse(bad).success).toBe(isWellFormed);
  });

  it("falls back to the quote when only the relative positions are garbage", () => {
    const resolution = resolveIn(session, { ...anchor, start: "AAAA", end: "!!" });
    expect(resolution).toMatchObject({ status: "anchored", method: "quote", isQuoteChanged: false });
    expect(textOf(session.pmDoc, resolution)).toBe(anchor.quote.exact);
  });

  it("does not trust a ProseMirror document of another state", () => {
    const stale = session.pmDoc;
    session.edit((tr) => tr.insertText("Much earlier: ", findRange(session.pmDoc, "INFAMOUS").from));
    const resolution = resolveAnchor({ doc, fragment, pmDoc: stale, anchor });
    // The relative positions are skipped; the quote still finds the passage in the stale text.
    expect(resolution).toMatchObject({ status: "anchored", method: "quote" });
    expect(textOf(stale, resolution)).toBe(anchor.quote.exact);
  });
});

describe("creating anchors", () => {
  const { doc, fragment, session } = setUp("Vyshinsky");
  const pmDoc = session.pmDoc;

  it("stores base64 relative positions, the quote with context, and plain-text offsets", () => {
    const { from, to } = findRange(pmDoc, "Andrei Vyshinsky");
    const anchor = createAnchor({ doc, fragment, pmDoc, from, to });
    expect(decodeRelativePosition(anchor.start)?.assoc).toBe(0);
    expect(decodeRelativePosition(anchor.end)?.assoc).toBe(-1);
    expect(anchor.quote.exact).toBe("Andrei Vyshinsky");
    expect(ESSAY.plainText.slice(anchor.position.start, anchor.position.end)).toBe("Andrei Vyshinsky");
    expect(anchor.quote.prefix).toBe(
      ESSAY.plainText.slice(anchor.position.start - 32, anchor.position.start),
    );
    expect(anchor.quote.suffix).toBe(ESSAY.plainText.slice(anchor.position.end, anchor.position.end + 32));
  });

  it("leaves a footnote reference out of the quote", () => {
    const { from, to } = findRange(pmDoc, "no pity!” These");
    const anchor = createAnchor({ doc, fragment, pmDoc, from, to });
    expect(anchor.quote.exact).toBe("no pity!” These");
    expect(to - from).toBe("no pity!” These".length + 1);
  });

  it.each([
    ["an empty range", 100, 100],
    ["a reversed range", 120, 100],
    ["a range past the end", 100, 1e6],
    ["a negative position", -1, 10],
    ["a range holding only a footnote reference", ...footnoteReferenceRange()],
  ])("refuses %s", (_name, from, to) => {
    expect(() => createAnchor({ doc, fragment, pmDoc, from, to })).toThrow(RangeError);
  });

  function footnoteReferenceRange(): [number, number] {
    let at = -1;
    pmDoc.descendants((node, pos) => {
      if (at < 0 && node.type.name === "footnoteReference") at = pos;
    });
    return [at, at + 1];
  }

  it("resolves many anchors with one resolver, as one by one", () => {
    const anchors = ["Vyshinsky", "Natalia", "Carlo Tresca", "the privilege of asylum"].map((needle) => {
      const { from, to } = findRange(pmDoc, needle);
      return createAnchor({ doc, fragment, pmDoc, from, to, index: buildTextIndex(pmDoc) });
    });
    const resolve = createAnchorResolver({ doc, fragment, pmDoc });
    const mapper = createPositionMapper(doc, fragment, getReadingSchema());
    for (const anchor of anchors) {
      expect(resolve(anchor)).toEqual(resolveAnchor({ doc, fragment, pmDoc, anchor, mapper }));
      expect(resolve(anchor)).toMatchObject({ status: "anchored", method: "relative" });
    }
  });
});
