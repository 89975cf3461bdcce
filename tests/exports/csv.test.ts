/**
 * The CSV export, read back with a strict RFC 4180 parser: one row per
 * comment (and one per highlight), the right quote, author, role and dates in
 * each, formulas defused, a BOM first, and nothing a reader may not see.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CSV_COLUMNS, csvChunks, csvField, renderCsv } from "../../lib/server/exports/csv";
import { loadExportData, type ExportData } from "../../lib/server/exports/load-export-data";
import { buildExportScenario, HOSTILE_TEXT, PHRASES, SECRETS } from "./export-scenario";

/**
 * RFC 4180: records end in CRLF (the last one may not), fields are separated
 * by commas, a field in double quotes may hold commas, CR, LF and doubled
 * quotes. Anything else — a bare quote inside an unquoted field, text after a
 * closing quote, a lone CR or LF between records — is an error, so a sloppy
 * writer cannot pass.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const fail = (why: string) => {
    throw new Error(`CSV error at ${i}: ${why}`);
  };
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail("unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
        if (text[i] === '"') fail("quote in an unquoted field");
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ",") {
      i++;
      continue;
    }
    if (text.startsWith("\r\n", i)) {
      i += 2;
      records.push(record);
      record = [];
      continue;
    }
    if (i >= text.length) break;
    fail(`unexpected ${JSON.stringify(text[i])} after a field`);
  }
  if (record.length > 0) records.push(record);
  return records;
}

type Row = Record<(typeof CSV_COLUMNS)[number], string>;

let scenario: Awaited<ReturnType<typeof buildExportScenario>>;
let data: ExportData;
let csv: string;
let rows: Row[];

beforeAll(async () => {
  scenario = await buildExportScenario();
  data = await loadExportData({ userId: scenario.sofia.id }, scenario.seminar.id, scenario.documentId, {
    layers: "both",
  });
  csv = renderCsv(data);
  const [header, ...records] = parseCsv(csv.replace(/^\uFEFF/, ""));
  expect(header).toEqual([...CSV_COLUMNS]);
  rows = records.map((record) => {
    expect(record).toHaveLength(CSV_COLUMNS.length);
    return Object.fromEntries(CSV_COLUMNS.map((column, index) => [column, record[index] as string])) as Row;
  });
});

const rowOf = (commentId: string) => {
  const found = rows.filter((row) => row["comment id"] === commentId);
  expect(found, `rows of comment ${commentId}`).toHaveLength(1);
  return found[0] as Row;
};

describe("the CSV export", () => {
  it("starts with a UTF-8 byte order mark and the header, and ends every record in CRLF", () => {
    expect(csv.startsWith(`\uFEFF"thread number","thread id","comment id","kind"`)).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it("has one row per comment and one per highlight, in thread order", () => {
    const expected = data.threads.flatMap((thread) => [
      ...(thread.kind === "HIGHLIGHT" || thread.comments.length === 0 ? [`${thread.number}:`] : []),
      ...thread.comments.map((comment) => `${thread.number}:${comment.id}`),
    ]);
    expect(rows.map((row) => `${row["thread number"]}:${row["comment id"]}`)).toEqual(expected);
  });

  it("gives every comment its thread, quote, position, author, role, words and dates", () => {
    for (const thread of data.threads) {
      for (const comment of thread.comments) {
        const row = rowOf(comment.id);
        expect(row["thread id"]).toBe(thread.id);
        expect(row["thread number"]).toBe(String(thread.number));
        expect(row.layer).toBe(thread.layer);
        expect(row.status).toBe(thread.resolvedAt ? "resolved" : "open");
        expect(row.category).toBe(thread.category?.name ?? "");
        expect(row.author).toBe(comment.author.name);
        expect(row.role).toBe(comment.author.role?.toLowerCase() ?? "");
        expect(row.created).toBe(comment.createdAt);
        expect(row.edited).toBe(comment.editedAt ?? "");
        expect(row["resolved at"]).toBe(thread.resolvedAt ?? "");
        expect(row["parent comment id"]).toBe(comment.parentId ?? "");
        if (thread.position) {
          expect(row["position start"]).toBe(String(thread.position.start));
          expect(row["position end"]).toBe(String(thread.position.end));
          expect(row.quote).toBe(data.document.plainText.slice(thread.position.start, thread.position.end));
        } else {
          expect([row["position start"], row["position end"]]).toEqual(["", ""]);
          expect(row.quote).toBe(thread.quote.exact);
        }
        if (!comment.isDeleted && !comment.isHidden && !/^[=+\-@]/.test(comment.text))
          expect(row["comment text"]).toBe(comment.text);
      }
    }
  });

  it("describes each kind of thread", () => {
    const { ids } = scenario;
    expect(rows.find((row) => row["thread id"] === ids.highlight && row["comment id"] === "")).toMatchObject({
      kind: "highlight",
      author: "Sofía Estudiante",
      role: "student",
      category: "Evidence",
      quote: PHRASES.highlight,
      "comment text": "",
    });
    expect(rowOf(`${ids.sofiaNote}:body`)).toMatchObject({
      kind: "private note",
      layer: "private",
      role: "",
      "comment text": `${SECRETS.sofiaNote} — ask about this`,
    });
    expect(rowOf(ids.questionRoot)).toMatchObject({
      kind: "guiding question",
      author: "Irene Instructor",
      role: "instructor",
      "comment text": "Why would a revolutionary government take this risk?\nThink about 1936.",
    });
    expect(rowOf(ids.resolvedRoot)).toMatchObject({ status: "resolved" });
    expect(rowOf(ids.replyNested)["parent comment id"]).toBe(ids.replyFlat);
    expect(rowOf(ids.detachedRoot)).toMatchObject({
      quote: PHRASES.detached,
      "position start": "",
      "position end": "",
    });
    expect(rowOf(ids.outerRoot)["comment text"]).toBe(
      "Rivera matters here — see his murals.\n\n- a painter\n- a militant",
    );
    // Quotes, commas and line breaks survive the round trip.
    expect(rowOf(ids.replyHostile)["comment text"]).toBe(HOSTILE_TEXT);
  });

  it("defuses cells that a spreadsheet would run as a formula", () => {
    expect(rowOf(scenario.ids.formulaRoot)["comment text"]).toBe(
      `'=HYPERLINK("http://evil.example","click"), said "Octavio"; then,\nlater: +1`,
    );
    expect(rowOf(scenario.ids.replyToHighlight)["comment text"]).toBe("'@Sofía why Evidence?");
    const cells: [string, string][] = [
      ["=1+1", '"\'=1+1"'],
      ["+1", '"\'+1"'],
      ["-2", '"\'-2"'],
      ["@SUM(A1)", '"\'@SUM(A1)"'],
      ["\tx", '"\'\tx"'],
      ["\rx", '"\'\rx"'],
      ["＝1+1", '"\'＝1+1"'],
      ['a "quote", and more', '"a ""quote"", and more"'],
      ["plain", '"plain"'],
      ["", '""'],
    ];
    for (const [value, field] of cells) expect(csvField(value)).toBe(field);
  });

  it.each([
    ["spaces", "  =1+1"],
    ["a line break", "\n=1+1"],
    ["CR LF", "\r\n+1"],
    ["a tab and spaces", "\t  -2"],
    ["a no-break space", "\u00A0@SUM(A1)"],
    ["an ideographic space", "\u3000=1"],
    ["a line break and spaces", '\n   =HYPERLINK("http://evil.example")'],
    ["spaces and a full-width plus", "  ＋1"],
  ])("defuses a formula after leading %s", (_name, value) => {
    expect(csvField(value)).toBe(`"'${value.replace(/"/g, '""')}"`);
  });

  it.each([
    ["words after spaces", "  plain words"],
    ["a line break before words", "\nthen = later"],
    ["a sign inside the text", "a = b + c"],
    ["only spaces", "   "],
  ])("leaves %s alone", (_name, value) => {
    expect(csvField(value)).toBe(`"${value}"`);
  });

  it("never shows hidden or deleted words, nor another member's private notes", () => {
    expect(rowOf(scenario.ids.replyHidden)["comment text"]).toBe("[hidden by an instructor]");
    expect(rowOf(scenario.ids.replyHidden).hidden).toBe("yes");
    expect(rowOf(scenario.ids.replyFlat).hidden).toBe("");
    expect(rowOf(scenario.ids.replyDeleted)["comment text"]).toBe("[deleted]");
    for (const secret of [SECRETS.hiddenReply, SECRETS.deletedReply, SECRETS.omarNote])
      expect(csv).not.toContain(secret);
  });

  it("streams the header first and then a row per chunk", () => {
    const chunks = [...csvChunks(data)];
    expect(chunks[0]).toBe(`\uFEFF${CSV_COLUMNS.map((column) => `"${column}"`).join(",")}\r\n`);
    expect(chunks).toHaveLength(rows.length + 1);
    expect(chunks.join("")).toBe(csv);
  });

  it("exports only the open threads of one participant when asked", async () => {
    const filtered = parseCsv(
      renderCsv(
        await loadExportData({ userId: scenario.sofia.id }, scenario.seminar.id, scenario.documentId, {
          includeResolved: false,
          participantId: scenario.sofia.id,
        }),
      ).replace(/^\uFEFF/, ""),
    ).slice(1);
    expect(filtered.length).toBeGreaterThan(0);
    const status = CSV_COLUMNS.indexOf("status");
    const author = CSV_COLUMNS.indexOf("author");
    expect(new Set(filtered.map((record) => record[status]))).toEqual(new Set(["open"]));
    expect(new Set(filtered.map((record) => record[author]))).toEqual(new Set(["Sofía Estudiante"]));
  });
});

describe("an instructor's CSV export", () => {
  it("has the words of a hidden comment, marked hidden, and still no deleted words", async () => {
    const text = renderCsv(
      await loadExportData({ userId: scenario.instructor.id }, scenario.seminar.id, scenario.documentId, {}),
    );
    const [header, ...records] = parseCsv(text.replace(/^\uFEFF/, ""));
    expect(header).toEqual([...CSV_COLUMNS]);
    const id = CSV_COLUMNS.indexOf("comment id");
    const hiddenRow = records.find((record) => record[id] === scenario.ids.replyHidden);
    expect(hiddenRow?.[CSV_COLUMNS.indexOf("comment text")]).toBe(SECRETS.hiddenReply);
    expect(hiddenRow?.[CSV_COLUMNS.indexOf("hidden")]).toBe("yes");
    expect(text).not.toContain(SECRETS.deletedReply);
  });
});
