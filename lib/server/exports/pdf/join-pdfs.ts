/**
 * Joins the PDF export's batches into one file with poppler's `pdfunite`
 * (poppler-utils, which the PDF tests need anyway), in a child process with a
 * time limit: the parts are read from and the whole written to disk, so the
 * server never holds more than it streams (docs/adr/0028-pdf-printed-in-batches.md).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { AppError } from "@/lib/shared/errors";

/** Where pdfunite is looked for, in order (then the PATH). */
const PDFUNITE_CANDIDATES = ["/usr/bin/pdfunite", "/usr/local/bin/pdfunite"];

/** A join that takes longer than this fails (778 pages join in about a second). */
export const JOIN_TIMEOUT_MS = 120_000;

/** The pdfunite to join with; an `unavailable` error that says what to install when there is none. */
export function findPdfunite(candidates: string[] = PDFUNITE_CANDIDATES): string {
  return candidates.find((candidate) => existsSync(candidate)) ?? "pdfunite";
}

/**
 * Writes the pages of `parts`, in order, to `output`. Rejects with an
 * `unavailable` AppError when pdfunite is missing, fails or runs out of time.
 */
export function joinPdfs(
  parts: string[],
  output: string,
  { binary = findPdfunite(), timeoutMs = JOIN_TIMEOUT_MS }: { binary?: string; timeoutMs?: number } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      [...parts, output],
      { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (!error) return resolve();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT")
          return reject(
            new AppError(
              "unavailable",
              "A PDF this long is printed in parts and joined with poppler's pdfunite: install poppler-utils (apt-get install poppler-utils) on the server.",
            ),
          );
        const why = error.killed
          ? `took longer than ${Math.round(timeoutMs / 1000)} s`
          : String(stderr).trim();
        reject(
          new AppError(
            "unavailable",
            `The PDF's parts could not be joined (pdfunite: ${why || error.message}).`,
          ),
        );
      },
    );
  });
}
