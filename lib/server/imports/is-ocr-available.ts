import { accessSync, constants } from "node:fs";
import path from "node:path";

/** True when a `tesseract` executable is on PATH (Debian's tesseract-ocr), so a scanned PDF can be recognised. */
export function isOcrAvailable(): boolean {
  for (const directory of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!directory) continue;
    try {
      accessSync(path.join(directory, "tesseract"), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}
