/**
 * convertUpload: the conversion runs in a worker thread with progress, a
 * time limit and a clear refusal on timeout; scanned PDFs are recognised
 * before anything is made, and read with tesseract when asked.
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { convertUpload } from "@/lib/server/imports/convert";
import { converted, fixture, nodesOf, textOf } from "./import-kit";

// Each conversion starts a worker that compiles the converters through tsx: seconds on an idle
// machine, tens of seconds on a loaded one, so these tests get a longer limit than the default 30 s.
const WORKER_TEST_MS = 90_000;

describe("convertUpload", () => {
  it(
    "converts in a worker thread, reporting progress",
    async () => {
      const stages: string[] = [];
      const result = converted(
        await convertUpload(
          { bytes: fixture("notes.docx"), filename: "notes.docx" },
          { onProgress: (p) => stages.push(p.stage) },
        ),
      );
      expect(result.format).toBe("docx");
      expect(result.found.notes).toBe(3);
      expect(stages).toEqual(expect.arrayContaining(["detecting", "converting", "done"]));
    },
    WORKER_TEST_MS,
  );

  it(
    "stops a conversion that takes longer than its time limit, with a clear refusal",
    async () => {
      const result = await convertUpload(
        { bytes: fixture("essay.pdf"), filename: "essay.pdf" },
        { timeoutMs: 20 },
      );
      expect(result).toMatchObject({ ok: false, code: "timeout", status: 422 });
      if (!result.ok) expect(result.message).toMatch(/took longer than/);
    },
    WORKER_TEST_MS,
  );

  it(
    "stops a conversion that needs more memory than the worker may have, with a clear refusal",
    async () => {
      // The default limit is 768 MiB, which no fixture comes near; a limit of a few MiB
      // makes the real path run: V8 stops the worker, and the app answers 413 and lives on.
      const result = await convertUpload(
        { bytes: fixture("essay.pdf"), filename: "essay.pdf" },
        { maxHeapMb: 4 },
      );
      expect(result).toMatchObject({ ok: false, code: "too-large", status: 413 });
      if (!result.ok)
        expect(result.message).toBe(
          "Converting the file needed more memory than a reading may use, so it was stopped.",
        );
      // The same file converts under the default limit.
      expect(
        converted(await convertUpload({ bytes: fixture("essay.pdf"), filename: "essay.pdf" })).format,
      ).toBe("pdf");
    },
    2 * WORKER_TEST_MS,
  );

  it(
    "recognises a scanned PDF before converting anything",
    async () => {
      const result = await convertUpload({ bytes: fixture("scanned.pdf"), filename: "scanned.pdf" });
      expect(result).toMatchObject({ ok: false, code: "scanned-pdf", status: 422 });
      if (!result.ok) expect(result.message).toMatch(/no text layer/);
    },
    WORKER_TEST_MS,
  );

  it(
    "reads a scanned PDF with tesseract when asked (OCR), page by page",
    async () => {
      try {
        execFileSync("tesseract", ["--version"], { stdio: "ignore" });
        execFileSync("pdftoppm", ["-v"], { stdio: "ignore" });
      } catch {
        throw new Error(
          "OCR needs tesseract and pdftoppm: apt-get install tesseract-ocr tesseract-ocr-eng poppler-utils",
        );
      }
      const stages: string[] = [];
      const fractions: number[] = [];
      const result = converted(
        await convertUpload(
          { bytes: fixture("scanned.pdf"), filename: "scanned.pdf" },
          {
            ocr: true,
            onProgress: (p) => {
              stages.push(p.stage);
              fractions.push(p.fraction);
            },
          },
        ),
      );
      expect(stages).toContain("recognising page 1 of 1");
      // Reading the (empty) text layer, then recognition: the progress only ever goes forward.
      expect(fractions.every((fraction, i) => i === 0 || fraction >= (fractions[i - 1] as number))).toBe(
        true,
      );
      expect(fractions.at(-1)).toBe(1);
      expect(nodesOf(result.content, "pageMarker").map((m) => String(m.attrs?.label))).toEqual(["1"]);
      const text = nodesOf(result.content, "paragraph").map(textOf).join("\n");
      expect(text).toContain("Why read in company");
      expect(text).toContain("A seminar is a room where a text is read slowly by several people at once.");
      expect(result.warnings.map((w) => w.code)).toContain("ocr");
    },
    2 * WORKER_TEST_MS,
  );
});
