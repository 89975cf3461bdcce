/**
 * The JSON-LD export against the W3C Web Annotation Data Model's own
 * conformance data (web-platform-tests, annotation-model/; copied into
 * tests/fixtures/w3c-annotation-model with its licence): every MUST
 * assertion, evaluated as the suite's harness does, for every annotation of
 * a realistic export — and broken annotations to show the checks can fail.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { loadExportData, type ExportData } from "../../lib/server/exports/load-export-data";
import {
  ANNO_CONTEXT,
  jsonldChunks,
  renderJsonLd,
  type WebAnnotation,
  type WebAnnotationCollection,
  type WebTextualBody,
} from "../../lib/server/exports/jsonld";
import { buildExportScenario, PHRASES, SECRETS } from "./export-scenario";

const SUITE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/w3c-annotation-model");
const ORIGIN = "https://read.example.edu";

type Assertion = {
  file: string;
  title: string;
  assertionType: string;
  expectedResult: "valid" | "invalid";
  validate: (value: unknown) => boolean;
};

const readJson = (file: string) =>
  JSON.parse(readFileSync(path.join(SUITE, file), "utf8")) as Record<string, unknown>;

/**
 * Ajv as the harness (annotation-model/scripts/JSONtest.js) sets it up:
 * draft-04 schemas, allErrors, no meta-validation, every definitions file
 * registered under its own `id`; the suite's extra keywords (assertionType,
 * expectedResult, errorMessage, onUnexpectedResult) are not validation keywords.
 */
function createValidator() {
  const ajv = new Ajv({ allErrors: true, validateSchema: false, strict: false });
  addFormats(ajv);
  for (const name of readdirSync(path.join(SUITE, "definitions")))
    ajv.addSchema(readJson(`definitions/${name}`));
  return ajv;
}

/** The assertions a `.test` file lists (all are files here), compiled. */
function loadAssertions(
  ajv: ReturnType<typeof createValidator>,
  testFile: string,
  skip: Set<string> = new Set(),
): Assertion[] {
  const test = readJson(testFile) as { assertions: unknown[] };
  return test.assertions
    .filter((entry) => typeof entry !== "string" || !skip.has(entry))
    .map((entry) => {
      if (typeof entry !== "string") throw new Error(`${testFile}: only assertion files are expected here.`);
      const schema = readJson(entry);
      const validate = ajv.compile(schema);
      return {
        file: entry,
        title: typeof schema.title === "string" ? schema.title : entry,
        assertionType: typeof schema.assertionType === "string" ? schema.assertionType : "must",
        expectedResult: schema.expectedResult === "invalid" ? "invalid" : "valid",
        validate: (value) => validate(value),
      };
    });
}

/** True when the assertion's result is the expected one (the harness's pass condition). */
function passes(assertion: Assertion, value: unknown): boolean {
  return assertion.validate(value) === (assertion.expectedResult === "valid");
}

const ajv = createValidator();
const annotationMusts = loadAssertions(ajv, "annotations/annotationMusts.test");

let scenario: Awaited<ReturnType<typeof buildExportScenario>>;
let data: ExportData;
let collection: WebAnnotationCollection;
let items: WebAnnotation[];

beforeAll(async () => {
  scenario = await buildExportScenario();
  data = await loadExportData({ userId: scenario.sofia.id }, scenario.seminar.id, scenario.documentId, {
    layers: "both",
  });
  collection = JSON.parse(renderJsonLd(data, ORIGIN)) as WebAnnotationCollection;
  items = collection.first.items;
});

const byId = (suffix: string) => {
  const found = items.find((item) => item.id.endsWith(suffix));
  if (!found) throw new Error(`No annotation ${suffix}`);
  return found;
};
const annotationOf = (id: string) => byId(`#annotation-${id}`);
const replyOf = (id: string) => byId(`#comment-${id}`);

describe("the W3C MUST assertions (annotations/annotationMusts.test)", () => {
  it("lists the fourteen MUST assertions of an Annotation, all as files that resolve", () => {
    expect(annotationMusts).toHaveLength(14);
    expect(annotationMusts.every((assertion) => assertion.assertionType === "must")).toBe(true);
  });

  it("the export has every kind of annotation the model must hold", () => {
    const motivations = new Set(items.map((item) => item.motivation));
    expect([...motivations].sort()).toEqual(["commenting", "highlighting", "questioning", "replying"]);
    expect(items.some((item) => item.id.includes(scenario.ids.sofiaNote))).toBe(true);
    const detached = annotationOf(scenario.ids.detached);
    expect(typeof detached.target === "object" && detached.target.selector).toHaveLength(1);
  });

  it.each(annotationMusts.map((assertion) => [assertion.file, assertion] as const))(
    "every annotation passes %s",
    (_file, assertion) => {
      const failing = items.filter((item) => !passes(assertion, item)).map((item) => item.id);
      expect(failing, assertion.title).toEqual([]);
    },
  );

  // Each broken annotation, and the assertion that must catch it.
  const broken: [string, (annotation: Record<string, unknown>) => void, string][] = [
    ["no @context", (a) => delete a["@context"], "annotations/3.1-annotationContextValidated.json"],
    [
      "another @context",
      (a) => (a["@context"] = "http://schema.org/"),
      "annotations/3.1-annotationContextValidated.json",
    ],
    ["an id that is not a URI", (a) => (a.id = "annotation 1"), "annotations/3.1-annotationIdValidated.json"],
    [
      "two ids",
      (a) => (a.id = ["https://a.example/1", "https://a.example/2"]),
      "annotations/3.1-annotationIdValidated.json",
    ],
    ["type Note", (a) => (a.type = "Note"), "annotations/3.1-annotationTypeValidated.json"],
    ["no target", (a) => delete a.target, "annotations/3.1-targetKeyFound.json"],
    ["a target that is a number", (a) => (a.target = 42), "annotations/3.2-targetObjectsRecognized.json"],
    [
      "a target without a source",
      (a) => (a.target = { selector: { type: "TextQuoteSelector", exact: "x" } }),
      "annotations/3.2-targetObjectsRecognized.json",
    ],
    ["body and bodyValue", (a) => (a.bodyValue = "words"), "annotations/3.2.5-notBodyBodyValue.json"],
    [
      "a textual body without a value",
      (a) => (a.body = { type: "TextualBody", format: "text/plain" }),
      "annotations/3.2-bodyObjectsRecognized.json",
    ],
    [
      "two bodyValues",
      (a) => {
        delete a.body;
        a.bodyValue = ["one", "two"];
      },
      "annotations/3.2.5-bodyValueValidated.json",
    ],
    [
      "created in words",
      (a) => (a.created = "yesterday"),
      "annotations/3.3.1-annotationCreatedValidated.json",
    ],
    [
      "modified as a number",
      (a) => (a.modified = 1700000000),
      "annotations/3.3.1-annotationModifiedValidated.json",
    ],
    [
      "generated twice",
      (a) => (a.generated = [a.generated, a.generated]),
      "annotations/3.3.1-annotationGeneratedValidated.json",
    ],
    [
      "rights that are not a URI",
      (a) => (a.rights = "all rights reserved"),
      "annotations/3.3.6-annotationRightsValidated.json",
    ],
    [
      "two canonical IRIs",
      (a) => (a.canonical = ["urn:uuid:1", "urn:uuid:2"]),
      "annotations/3.3.7-annotationCanonicalValidated.json",
    ],
    [
      "via that is not a URI",
      (a) => (a.via = "somewhere else"),
      "annotations/3.3.7-annotationViaValidated.json",
    ],
  ];

  it.each(broken)("an annotation with %s fails its assertion", (_what, breakIt, file) => {
    // Break a comment with a body and a specific-resource target, the richest kind.
    const annotation = structuredClone(annotationOf(scenario.ids.outer)) as unknown as Record<
      string,
      unknown
    >;
    const assertion = annotationMusts.find((candidate) => candidate.file === file);
    expect(assertion, file).toBeDefined();
    expect(passes(assertion as Assertion, annotation)).toBe(true);
    breakIt(annotation);
    expect(passes(assertion as Assertion, annotation)).toBe(false);
  });
});

describe("the W3C Annotation Page MUST assertions (collections/pages/pageMusts.test)", () => {
  it("the collection's embedded page passes every page assertion the suite's copy holds", () => {
    // 5.2-pageContextValidated.json is missing upstream; its check is made directly.
    const missing = "collections/pages/5.2-pageContextValidated.json";
    const pageMusts = loadAssertions(ajv, "collections/pages/pageMusts.test", new Set([missing]));
    expect(pageMusts).toHaveLength(14);
    const failing = pageMusts.filter((assertion) => !passes(assertion, collection)).map(({ file }) => file);
    expect(failing).toEqual([]);
    expect(collection["@context"]).toBe(ANNO_CONTEXT);
  });
});

describe("what the JSON-LD says", () => {
  it("is a collection of every thread and reply, on one page, in reading order", () => {
    expect(collection.type).toBe("AnnotationCollection");
    expect(collection.first.type).toBe("AnnotationPage");
    const replies = data.threads.reduce(
      (sum, thread) =>
        sum + thread.comments.length - (thread.kind !== "HIGHLIGHT" && thread.comments.length > 0 ? 1 : 0),
      0,
    );
    expect(collection.total).toBe(data.threads.length + replies);
    expect(items).toHaveLength(collection.total);
    expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
    const threadOrder = items.filter((item) => item.motivation !== "replying").map((item) => item.id);
    expect(threadOrder).toEqual(
      data.threads.map((thread) => `${readingIri()}#annotation-${encodeURIComponent(thread.id)}`),
    );
  });

  it("motivates each kind as the model names it, with the words as a plain-text body", () => {
    const { ids } = scenario;
    expect(annotationOf(ids.highlight).motivation).toBe("highlighting");
    expect(annotationOf(ids.highlight).body).toEqual({
      type: "TextualBody",
      value: "Evidence",
      format: "text/plain",
      language: "en",
      purpose: "tagging",
    });
    expect(annotationOf(ids.outer).motivation).toBe("commenting");
    expect(annotationOf(ids.outer).body).toEqual({
      type: "TextualBody",
      value: "Rivera matters here — see his murals.\n\n- a painter\n- a militant",
      format: "text/plain",
      language: "en",
      purpose: "commenting",
    });
    const question = annotationOf(ids.question);
    expect(question.motivation).toBe("questioning");
    expect(question.body).toMatchObject({ purpose: "questioning" });
    expect((question.body as WebTextualBody).value).toContain("take this risk?");
    expect(question.creator).toEqual({
      id: `${ORIGIN}/seminars/${scenario.seminar.id}#member-${scenario.instructor.id}`,
      type: "Person",
      name: "Irene Instructor",
    });
    const note = annotationOf(ids.sofiaNote);
    expect(note.motivation).toBe("commenting");
    expect((note.body as WebTextualBody).value).toContain(SECRETS.sofiaNote);
  });

  it("targets the reading with a quote and a position over its current plain text", () => {
    for (const thread of data.threads.filter((candidate) => candidate.position)) {
      const target = annotationOf(thread.id).target;
      if (typeof target === "string") throw new Error("a thread targets the text");
      expect(target.type).toBe("SpecificResource");
      expect(target.source).toBe(readingIri());
      const [quote, position] = target.selector;
      if (quote?.type !== "TextQuoteSelector" || position?.type !== "TextPositionSelector")
        throw new Error("quote, then position");
      expect(data.document.plainText.slice(position.start, position.end)).toBe(quote.exact);
      expect(data.document.plainText.slice(0, position.start).endsWith(quote.prefix ?? "")).toBe(true);
      expect(data.document.plainText.slice(position.end).startsWith(quote.suffix ?? "")).toBe(true);
    }
    expect(annotationOf(scenario.ids.question).target).toMatchObject({
      selector: [{ type: "TextQuoteSelector", exact: PHRASES.question }, { type: "TextPositionSelector" }],
    });
    // Across the note reference, the quote reads as the sentence does (ADR 0003).
    expect(annotationOf(scenario.ids.acrossReference).target).toMatchObject({
      selector: [{ exact: PHRASES.acrossReference }, { type: "TextPositionSelector" }],
    });
  });

  it("keeps only the quote of a thread whose passage was deleted from the text", () => {
    const target = annotationOf(scenario.ids.detached).target;
    expect(target).toMatchObject({
      source: readingIri(),
      selector: [{ type: "TextQuoteSelector", exact: PHRASES.detached }],
    });
    expect(data.document.plainText).not.toContain(PHRASES.detached);
  });

  it("makes replies annotations that reply to the thread, or to the reply they were written under", () => {
    const { ids } = scenario;
    const flat = replyOf(ids.replyFlat);
    expect(flat.motivation).toBe("replying");
    expect(flat.target).toBe(annotationOf(ids.outer).id);
    expect(flat.body).toMatchObject({ purpose: "replying", value: "Good — and what did Rivera gain?" });
    expect(replyOf(ids.replyNested).target).toBe(flat.id);
    expect(replyOf(ids.replyToHighlight).target).toBe(annotationOf(ids.highlight).id);
    expect(replyOf(ids.replyQuestion).target).toBe(annotationOf(ids.question).id);
  });

  it("exports no words of deleted or hidden comments, nor anyone else's private notes", () => {
    const text = renderJsonLd(data, ORIGIN);
    expect(replyOf(scenario.ids.replyDeleted).body).toBeUndefined();
    expect(replyOf(scenario.ids.replyHidden).body).toBeUndefined();
    expect(text).not.toContain(SECRETS.deletedReply);
    expect(text).not.toContain(SECRETS.hiddenReply);
    expect(text).not.toContain(SECRETS.omarNote);
    expect(text).not.toContain(scenario.ids.omarNote);
  });

  it("gives an instructor a hidden comment's words as a body whose audience is the instructors", async () => {
    const instructors = JSON.parse(
      renderJsonLd(
        await loadExportData(
          { userId: scenario.instructor.id },
          scenario.seminar.id,
          scenario.documentId,
          {},
        ),
        ORIGIN,
      ),
    ) as WebAnnotationCollection;
    const hidden = instructors.first.items.find((item) =>
      item.id.endsWith(`#comment-${scenario.ids.replyHidden}`),
    );
    expect(hidden?.body).toEqual({
      type: "TextualBody",
      value: SECRETS.hiddenReply,
      format: "text/plain",
      language: "en",
      purpose: "replying",
      audience: { type: "schema:EducationalAudience", "schema:educationalRole": "instructor" },
    });
    // Only the hidden words are addressed to instructors; everything still passes the MUSTs.
    const addressed = instructors.first.items.filter((item) => JSON.stringify(item).includes('"audience"'));
    expect(addressed.map((item) => item.id)).toEqual([hidden?.id]);
    for (const assertion of annotationMusts)
      expect(
        instructors.first.items.filter((item) => !passes(assertion, item)).map((item) => item.id),
      ).toEqual([]);
    expect(JSON.stringify(instructors)).not.toContain(SECRETS.deletedReply);
  });

  it("streams the same JSON it renders, one annotation per chunk", () => {
    const chunks = [...jsonldChunks(data, ORIGIN)];
    expect(chunks.length).toBe(items.length + 2);
    expect(chunks.join("")).toBe(renderJsonLd(data, ORIGIN));
  });

  it("writes, chunk by chunk, exactly the text of the whole collection written at once", () => {
    const text = renderJsonLd(data, ORIGIN);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    const empty = renderJsonLd({ ...data, threads: [] }, ORIGIN);
    expect(empty).toBe(`${JSON.stringify(JSON.parse(empty), null, 2)}\n`);
  });

  it("is still a valid collection when there is nothing to export", () => {
    const empty = JSON.parse(renderJsonLd({ ...data, threads: [] }, ORIGIN)) as WebAnnotationCollection;
    expect(empty.total).toBe(0);
    expect(empty.first.items).toEqual([]);
  });
});

function readingIri() {
  return `${ORIGIN}/seminars/${scenario.seminar.id}/readings/${scenario.documentId}`;
}
