/**
 * Text recognition for a scanned PDF: each page rasterised by `pdftoppm`
 * (poppler-utils) at 200 dpi and read by the `tesseract` CLI (English). Both
 * are run without a shell, one page at a time, with progress.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { JSONContent } from "@tiptap/core";
import { ConversionRefusal, type ConvertOptions } from "../types";
import { newDraft, textNode, type ReadingDraft } from "../reading-draft";
import { OCR_START, normaliseLigatures } from "./pdf";

const run = promisify(execFile);

/** Recognition's share of a conversion's progress: from OCR_START to just before the final check (0.95). */
const OCR_SHARE = 0.95 - OCR_START;

/** Whether tesseract is installed. */
export async function tesseractAvailable(): Promise<boolean> {
  try {
    await run("tesseract", ["--version"], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Recognises the text of a scanned PDF, page by page. */
export async function ocrPdf(
  bytes: Uint8Array,
  labels: string[],
  options: Pick<ConvertOptions, "onProgress">,
): Promise<ReadingDraft> {
  if (!(await tesseractAvailable())) {
    throw new ConversionRefusal(
      "ocr-unavailable",
      "This PDF is a scan and text recognition is not installed on this server (Debian: apt-get install tesseract-ocr tesseract-ocr-eng).",
      422,
    );
  }
  const dir = await mkdtemp(path.join(tmpdir(), "marginalia-ocr-"));
  try {
    const pdfPath = path.join(dir, "upload.pdf");
    await writeFile(pdfPath, bytes);
    const draft = newDraft();
    for (const [i, label] of labels.entries()) {
      const n = i + 1;
      options.onProgress?.({
        stage: `recognising page ${n} of ${labels.length}`,
        fraction: OCR_START + (OCR_SHARE * i) / labels.length,
      });
      const prefix = path.join(dir, `page-${n}`);
      await run(
        "pdftoppm",
        ["-r", "200", "-gray", "-png", "-singlefile", "-f", String(n), "-l", String(n), pdfPath, prefix],
        { timeout: 60_000 },
      );
      // Rasterising is the quick part of a page; recognition takes the rest of its share.
      options.onProgress?.({
        stage: `recognising page ${n} of ${labels.length}`,
        fraction: OCR_START + (OCR_SHARE * (i + 0.25)) / labels.length,
      });
      const { stdout } = await run("tesseract", [`${prefix}.png`, "stdout", "-l", "eng", "--psm", "3"], {
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      });
      await rm(`${prefix}.png`, { force: true });
      const paragraphs = normaliseLigatures(stdout)
        .split(/\n\s*\n/)
        .map((block) =>
          block
            .split("\n")
            .map((line) => line.trim())
            .filter(Boolean),
        )
        .filter((lines) => lines.length > 0)
        .map((lines) =>
          lines.reduce(
            (text, line) =>
              /[A-Za-z]-$/.test(text) && /^[a-z]/.test(line)
                ? text.slice(0, -1) + line
                : text
                  ? `${text} ${line}`
                  : line,
            "",
          ),
        );
      const marker: JSONContent = { type: "pageMarker", attrs: { label } };
      draft.pages++;
      if (paragraphs.length === 0) draft.blocks.push({ type: "paragraph", content: [marker] });
      paragraphs.forEach((text, k) =>
        draft.blocks.push({ type: "paragraph", content: [...(k === 0 ? [marker] : []), ...textNode(text)] }),
      );
    }
    draft.warnings.push({
      code: "ocr",
      message: `The text of ${labels.length} scanned page${labels.length === 1 ? " was" : "s were"} recognised automatically (OCR); check it against the scan for misread words.`,
    });
    return draft;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
