/**
 * The Markdown export: the text as Markdown with each annotated passage in
 * literal brackets and its footnote marker, the threads as footnotes with
 * indented replies, detached threads in their own section, and nothing a
 * reader may not see.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  loadExportData,
  type ExportData,
  type ExportThread,
} from "../../lib/server/exports/load-export-data";
import { escapeInline, markdownChunks, renderMarkdown } from "../../lib/server/exports/markdown";
import { formatLongDay } from "../../lib/shared/dates";
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
const footnoteOf = (id: string) => {
  const start = markdown.indexOf(`\n[^${n(id)}]: `);
  expect(start, `footnote of thread ${n(id)}`).toBeGreaterThan(0);
  const end = markdown.indexOf("\n[^", start + 1);
  return markdown.slice(start + 1, end < 0 ? undefined : end).trimEnd();
};
const today = () => formatLongDay(data.generatedAt);

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

  it("keeps paragraphs, block quotes, note references and the notes", () => {
    expect(markdown).toMatch(/\n\n> “In regard to our international relations[^\n]+\n\n/);
    expect(markdown).toMatch(/\n\n> “absolutely spontaneous and uninterested[^\n]+\n\n/);
    expect(markdown).toContain("\n\n## Notes\n\n1. “The trial against the Trotskyist-Zinovievist Center”");
    expect(markdown).toMatch(/\n2\. In 1934, when France/);
    expect(markdown).toContain("“the world became a planet with no visa for León Trotsky.”(2)");
    expect(markdown).not.toContain("Why were these basic principles"); // the deleted paragraph
  });

  it("brackets each annotated passage and follows it with its thread's marker", () => {
    const { ids } = scenario;
    expect(markdown).toContain(`\\[${PHRASES.question}\\][^${n(ids.question)}]`);
    expect(markdown).toContain(`\\[${PHRASES.formula}\\][^${n(ids.formula)}]`);
    expect(markdown).toContain(`\\[${PHRASES.resolved}\\][^${n(ids.resolved)}]`);
    // Across a note reference: the reference stays in place, inside the brackets.
    expect(markdown).toContain(`\\[with no pity!”(1) These were\\][^${n(ids.acrossReference)}]`);
  });

  it("nests overlapping passages, the longer outside", () => {
    const { ids } = scenario;
    expect(markdown).toContain(
      `\\[Diego Rivera, \\[the famous Mexican muralist\\][^${n(ids.inner)}]\\][^${n(ids.outer)}]`,
    );
    // Two threads on the same passage (a highlight and my note): both markers, brackets balanced.
    const [first, second] = [n(ids.highlight), n(ids.sofiaNote)].sort((a, b) => a - b);
    expect(markdown).toContain(`\\[\\[${PHRASES.highlight}\\][^${second}]\\][^${first}]`);
  });

  it("references every thread exactly once and defines it exactly once", () => {
    for (const thread of data.threads) {
      const references = markdown.split(`[^${thread.number}]`).length - 1;
      const definitions = markdown.split(`\n[^${thread.number}]: `).length - 1;
      expect({ thread: thread.number, references, definitions }).toEqual({
        thread: thread.number,
        references: 2,
        definitions: 1,
      });
    }
  });

  it("puts threads whose passage is gone in a section of their own, with their quote", () => {
    expect(markdown).toContain(
      `\n## Passages no longer in the text\n\n> ${PHRASES.detached}[^${n(scenario.ids.detached)}]\n\n`,
    );
    expect(threadOf(scenario.ids.detached).position).toBeNull();
  });
});

describe("the threads as footnotes", () => {
  it("says who, what, in which category and when, then the words", () => {
    expect(footnoteOf(scenario.ids.highlight)).toMatch(
      new RegExp(
        `^\\[\\^\\d+\\]: \\*\\*Sofía Estudiante\\*\\* \\(Student\\) · Highlight · Evidence · ${today()}\n`,
      ),
    );
    expect(footnoteOf(scenario.ids.question)).toBe(
      [
        `[^${n(scenario.ids.question)}]: **Irene Instructor** (Instructor) · Guiding question · pinned · ${today()} — Why would a revolutionary government take this risk?\\`,
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
        `[^${n(scenario.ids.outer)}]: **Omar Other** (Student) · Comment · ${today()} — Rivera **matters** here — see [his murals](https://example.org/murals).`,
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
      `[^${n(scenario.ids.sofiaNote)}]: **Sofía Estudiante** · Private note · ${today()} — ${SECRETS.sofiaNote} — ask about this`,
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
    expect(privateOnly).toContain(`\\[${PHRASES.highlight}\\][^1]`);
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
    expect(open).not.toContain(`\\[${PHRASES.resolved}\\]`);
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
