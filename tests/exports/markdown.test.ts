/**
 * The Markdown export: the text as Markdown with each annotated passage
 * highlighted and followed by its thread's footnote reference (`[^a3]`), the
 * text's own notes as footnotes under their numbers (`[^3]`), the threads as
 * footnotes with indented replies, detached threads in their own section,
 * and nothing a reader may not see. It is read back with remark (CommonMark
 * and GitHub's footnotes), as a renderer would, to check that every footnote
 * resolves and no bracket or stray tag shows.
 */
import type { Root, RootContent } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { beforeAll, describe, expect, it } from "vitest";
import {
  loadExportData,
  type ExportData,
  type ExportThread,
} from "../../lib/server/exports/load-export-data";
import { markdownChunks, renderMarkdown } from "../../lib/server/exports/markdown";
import { escapeInline } from "../../lib/server/exports/markdown-syntax";
import { formatLongDay } from "../../lib/shared/dates";
import { replaceWords } from "../helpers/discussion";
import { buildExportScenario, HOSTILE_TEXT, PHRASES, SECRETS } from "./export-scenario";

const ORIGIN = "https://read.example.edu";

let scenario: Awaited<ReturnType<typeof buildExportScenario>>;
let data: ExportData;
let markdown: string;

beforeAll(async () => {
  scenario = await buildExportScenario();
  data = await loadExportData({ userId: scenario.sofia.id }, scenario.seminar.id, scenario.documentId, {
    layers: "both",
  });
  markdown = renderMarkdown(data, ORIGIN);
});

const threadOf = (id: string): ExportThread => {
  const thread = data.threads.find((candidate) => candidate.id === id);
  if (!thread) throw new Error(`No thread ${id}`);
  return thread;
};
const n = (id: string) => threadOf(id).number;
/** A thread's footnote reference. */
const ref = (id: string) => `[^a${n(id)}]`;
const footnoteOf = (id: string) => {
  const start = markdown.indexOf(`\n${ref(id)}: `);
  expect(start, `footnote of thread ${n(id)}`).toBeGreaterThan(0);
  const end = markdown.indexOf("\n[^", start + 1);
  return markdown.slice(start + 1, end < 0 ? undefined : end).trimEnd();
};
const today = () => formatLongDay(data.generatedAt);

/** The Markdown as a renderer reads it: CommonMark plus GitHub's extensions (footnotes among them). */
function parse(source: string): Root {
  const processor = unified().use(remarkParse).use(remarkGfm);
  return processor.runSync(processor.parse(source)) as Root;
}

/** Every node of a tree, depth first. */
function nodesOf(node: Root | RootContent): (Root | RootContent)[] {
  return [node, ...("children" in node ? node.children.flatMap((child) => nodesOf(child)) : [])];
}

describe("the text", () => {
  it("opens with what the copy is, then the title, byline and source", () => {
    const lines = markdown.split("\n");
    expect(lines[0]).toBe(
      `*Annotated copy from the seminar “${escapeInline(scenario.seminar.title)}” · exported by Sofía Estudiante on ${today()}.*\\`,
    );
    expect(lines[1]).toBe(
      `*${data.threads.length} threads: the seminar’s threads and my private notes.* <${ORIGIN}/seminars/${scenario.seminar.id}/readings/${scenario.documentId}>`,
    );
    expect(markdown).toContain(
      "\n# Trotsky, Guest of the Revolution\n\nOlivia Gall\n\n*Against the Current*, No. 147, July/August 2010\n\n",
    );
  });

  it("keeps paragraphs, block quotes, and the text's notes as footnotes under their own numbers", () => {
    expect(markdown).toMatch(/\n\n> “In regard to our international relations[^\n]+\n\n/);
    expect(markdown).toMatch(/\n\n> “absolutely spontaneous and uninterested[^\n]+\n\n/);
    expect(markdown).toContain("\n\n[^1]: *Note 1.* “The trial against the Trotskyist-Zinovievist Center”");
    expect(markdown).toMatch(/\n\n\[\^2\]: \*Note 2\.\* In 1934, when France/);
    expect(markdown).toContain("“the world became a planet with no visa for León Trotsky.”[^2]");
    // Note 8 has no reference in the text: a definition would vanish when rendered, so it is a paragraph.
    expect(markdown).toContain("\n\n*Note 8.* ATC 147, July-August 2010\n\n");
    expect(markdown).not.toContain("[^8]");
    expect(markdown).not.toContain("Why were these basic principles"); // the deleted paragraph
  });

  it("highlights each annotated passage and follows it with its thread's reference", () => {
    const { ids } = scenario;
    expect(markdown).toContain(`<mark>${PHRASES.question}</mark>${ref(ids.question)}`);
    expect(markdown).toContain(`<mark>${PHRASES.formula}</mark>${ref(ids.formula)}`);
    expect(markdown).toContain(`<mark>${PHRASES.resolved}</mark>${ref(ids.resolved)}`);
    // Across a note reference: the note's reference stays in place, between two highlighted stretches.
    expect(markdown).toContain(
      `<mark>with no pity!”</mark>[^1]<mark> These were</mark>${ref(ids.acrossReference)}`,
    );
  });

  it("highlights overlapping passages stretch by stretch, the shorter passage's reference first", () => {
    const { ids } = scenario;
    // References side by side are apart by a narrow no-break space (4 and 5, not 45, when rendered).
    expect(markdown).toContain(
      `<mark>Diego Rivera, </mark><mark>the famous Mexican muralist</mark>${ref(ids.inner)}\u202f${ref(ids.outer)}`,
    );
    // Two threads on the same passage (a highlight and my note): both references, in order.
    const [first, second] = [n(ids.highlight), n(ids.sofiaNote)].sort((a, b) => a - b);
    expect(markdown).toContain(`<mark>${PHRASES.highlight}</mark>[^a${first}]\u202f[^a${second}]`);
  });

  it("references every thread exactly once and defines it exactly once", () => {
    for (const thread of data.threads) {
      const references = markdown.split(`[^a${thread.number}]`).length - 1;
      const definitions = markdown.split(`\n[^a${thread.number}]: `).length - 1;
      expect({ thread: thread.number, references, definitions }).toEqual({
        thread: thread.number,
        references: 2,
        definitions: 1,
      });
    }
  });

  it("puts threads whose passage is gone in a section of their own, with their quote", () => {
    expect(markdown).toContain(
      `\n## Passages no longer in the text\n\n> ${PHRASES.detached}${ref(scenario.ids.detached)}\n\n`,
    );
    expect(threadOf(scenario.ids.detached).position).toBeNull();
  });
});

describe("read by a CommonMark and GFM renderer", () => {
  it("resolves every footnote reference to its definition, threads and notes apart", () => {
    const nodes = nodesOf(parse(markdown));
    const references = nodes.flatMap((node) => (node.type === "footnoteReference" ? [node.identifier] : []));
    const definitions = nodes.flatMap((node) =>
      node.type === "footnoteDefinition" ? [node.identifier] : [],
    );
    const threadLabels = data.threads.map((thread) => `a${thread.number}`);
    const noteLabels = ["1", "2", "3", "4", "5", "6", "7"];
    expect(new Set(references)).toEqual(new Set([...threadLabels, ...noteLabels]));
    expect(definitions.sort()).toEqual([...threadLabels, ...noteLabels].sort());
  });

  it("shows no bracket of ours, and only balanced highlight tags", () => {
    const nodes = nodesOf(parse(markdown));
    const tags = nodes.flatMap((node) => (node.type === "html" ? [node.value] : []));
    expect(new Set(tags)).toEqual(new Set(["<mark>", "</mark>"]));
    // Each paragraph (or heading) opens as many highlights as it closes.
    for (const node of nodes) {
      if (node.type !== "paragraph" && node.type !== "heading") continue;
      const own = node.children.filter((child) => child.type === "html").map((child) => child.value);
      expect(own.filter((tag) => tag === "<mark>").length).toBe(
        own.filter((tag) => tag === "</mark>").length,
      );
    }
    const texts = nodes.flatMap((node) => (node.type === "text" ? [node.value] : []));
    for (const phrase of [PHRASES.question, PHRASES.inner, PHRASES.highlight])
      expect(texts.filter((text) => text.includes(`[${phrase}`) || text.includes(`${phrase}]`))).toEqual([]);
    expect(texts.join("")).not.toMatch(/\[\^|\]\[/);
  });

  it("keeps emphasis whole around a highlight that starts inside it", () => {
    // One more thread, on a passage from inside the source line's italics to after them.
    const phrase = "the Current, No. 147";
    const start = data.document.plainText.indexOf(phrase);
    expect(start).toBeGreaterThan(0);
    const extra: ExportThread = {
      ...threadOf(scenario.ids.inner),
      id: "extra",
      number: data.threads.length + 1,
      position: { start, end: start + phrase.length },
    };
    const sample = renderMarkdown({ ...data, threads: [...data.threads, extra] }, ORIGIN);
    expect(sample).toContain(
      `\n*Against* <mark>*the Current*</mark><mark>, No. 147</mark>[^a${extra.number}], July/August 2010\n`,
    );
    const emphasized = nodesOf(parse(sample)).flatMap((node) =>
      node.type === "emphasis"
        ? [node.children.map((child) => ("value" in child ? child.value : "")).join("")]
        : [],
    );
    expect(emphasized).toContain("Against");
    expect(emphasized).toContain("the Current");
  });
});

describe("the threads as footnotes", () => {
  it("says who, what, in which category and when, then the words", () => {
    expect(footnoteOf(scenario.ids.highlight)).toMatch(
      new RegExp(
        `^\\[\\^a\\d+\\]: On “${PHRASES.highlight}”: \\*\\*Sofía Estudiante\\*\\* \\(Student\\) · Highlight · Evidence · ${today()}\n`,
      ),
    );
    expect(footnoteOf(scenario.ids.question)).toBe(
      [
        `${ref(scenario.ids.question)}: On “${PHRASES.question}”: **Irene Instructor** (Instructor) · Guiding question · pinned · ${today()} — Why would a revolutionary government take this risk?\\`,
        "    Think about 1936.",
        "",
        `    * **Sofía Estudiante** (Student) · ${today()} — Sovereignty: Mexico decides whom it shelters.`,
        `    * **Omar Other** (Student) · ${today()} — *\\[deleted\\]*`,
      ].join("\n"),
    );
  });

  it("keeps a comment's formatting and indents replies, nested under the reply they answer", () => {
    expect(footnoteOf(scenario.ids.outer)).toBe(
      [
        `${ref(scenario.ids.outer)}: On “${PHRASES.outer}”: **Omar Other** (Student) · Comment · ${today()} — Rivera **matters** here — see [his murals](https://example.org/murals).`,
        "",
        "    - a painter",
        "    - a militant",
        "",
        `    * **Irene Instructor** (Instructor) · ${today()} — Good — and what did Rivera gain?`,
        "",
        `      * **Sofía Estudiante** (Student) · ${today()} — A famous guest, and trouble.`,
      ].join("\n"),
    );
  });

  it("marks resolved threads and private notes", () => {
    expect(footnoteOf(scenario.ids.resolved)).toContain(
      `· Comment · ${today()} · resolved by Irene Instructor on ${today()} — Five minutes! Is this literally true?`,
    );
    expect(footnoteOf(scenario.ids.sofiaNote)).toBe(
      `${ref(scenario.ids.sofiaNote)}: On “${PHRASES.highlight}”: **Sofía Estudiante** · Private note · ${today()} — ${SECRETS.sofiaNote} — ask about this`,
    );
  });

  it("escapes what members wrote, so no comment becomes markup, a link, a heading or a list", () => {
    expect(HOSTILE_TEXT).toContain("<img");
    expect(markdown).toContain(
      "— \\<img src=x onerror=alert(1)\\> \\*not emphasis\\* \\[a\\](javascript:alert(1)) \\# not a heading\\\n      \\- not a list",
    );
    expect(markdown).not.toMatch(/(^|[^\\])<img/);
    expect(footnoteOf(scenario.ids.formula)).toContain('\\=HYPERLINK("http://evil.example","click")');
  });

  it("never shows hidden or deleted words, nor another member's private notes", () => {
    expect(markdown).toContain("*\\[hidden by an instructor\\]*");
    expect(markdown).not.toContain("hidden from students");
    for (const secret of [SECRETS.hiddenReply, SECRETS.deletedReply, SECRETS.omarNote])
      expect(markdown).not.toContain(secret);
  });

  it("gives an instructor the words of a hidden comment, marked hidden from students", async () => {
    const instructors = renderMarkdown(
      await loadExportData({ userId: scenario.instructor.id }, scenario.seminar.id, scenario.documentId, {}),
      ORIGIN,
    );
    expect(instructors).toContain(`— *\\[hidden from students\\]* ${escapeInline(SECRETS.hiddenReply)}`);
    expect(instructors).toContain("1 comment hidden from students, for instructors only.*");
    expect(markdown).not.toContain("for instructors only");
    expect(instructors).not.toContain("hidden by an instructor");
    expect(instructors).not.toContain(SECRETS.deletedReply);
  });
});

describe("the options", () => {
  it("leaves out private notes for the seminar layer, and the seminar's threads for the private one", async () => {
    const seminarOnly = renderMarkdown(
      await loadExportData({ userId: scenario.sofia.id }, scenario.seminar.id, scenario.documentId, {}),
      ORIGIN,
    );
    expect(seminarOnly).not.toContain(SECRETS.sofiaNote);
    expect(seminarOnly).toContain("the seminar’s threads.*");
    const privateOnly = renderMarkdown(
      await loadExportData({ userId: scenario.sofia.id }, scenario.seminar.id, scenario.documentId, {
        layers: "private",
      }),
      ORIGIN,
    );
    expect(privateOnly).toContain(`*1 thread: my private notes.*`);
    expect(privateOnly).toContain(`<mark>${PHRASES.highlight}</mark>[^a1]`);
    expect(privateOnly).not.toContain("Guiding question");
  });

  it("leaves out resolved threads, and keeps one participant's words only", async () => {
    const open = renderMarkdown(
      await loadExportData({ userId: scenario.sofia.id }, scenario.seminar.id, scenario.documentId, {
        includeResolved: false,
      }),
      ORIGIN,
    );
    expect(open).toContain("open threads only");
    expect(open).not.toContain("Five minutes!");
    expect(open).not.toContain(`<mark>${PHRASES.resolved}</mark>`);
    expect(open).toContain(PHRASES.resolved);
    const irene = renderMarkdown(
      await loadExportData({ userId: scenario.sofia.id }, scenario.seminar.id, scenario.documentId, {
        participantId: scenario.instructor.id,
      }),
      ORIGIN,
    );
    expect(irene).toContain("only Irene Instructor’s");
    expect(irene).toContain("Good — and what did Rivera gain?");
    expect(irene).not.toContain("A famous guest");
    expect(irene).not.toContain("Rivera **matters**");
  });

  it("streams in chunks that start with what the copy is and add up to the whole", () => {
    const chunks = [...markdownChunks(data, ORIGIN)];
    expect(chunks[0]).toMatch(/^\*Annotated copy/);
    expect(chunks.length).toBeGreaterThan(data.threads.length);
    expect(chunks.join("")).toBe(markdown);
  });
});

describe("after an instructor edits the words of a passage", () => {
  it("quotes the passage as the text reads now, with the words it was made on as history", async () => {
    await replaceWords(scenario.documentId, {
      in: "the exotic Mexico",
      words: "exotic",
      with: "picturesque",
    });
    const edited = renderMarkdown(
      await loadExportData({ userId: scenario.sofia.id }, scenario.seminar.id, scenario.documentId, {
        layers: "both",
      }),
      ORIGIN,
    );
    const now = "the savage, the picturesque Mexico";
    expect(edited).toContain(`<mark>${now}</mark>${ref(scenario.ids.highlight)}`);
    expect(edited).toContain(
      `\n${ref(scenario.ids.highlight)}: On “${now}” (originally “${PHRASES.highlight}”): **Sofía Estudiante** (Student) · Highlight`,
    );
    // A passage whose words did not change has no history.
    expect(edited).toContain(`\n${ref(scenario.ids.question)}: On “${PHRASES.question}”: **Irene`);
  });
});
