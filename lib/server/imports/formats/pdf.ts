import { ConversionRefusal, type ConvertOptions } from "../types";
import type { ReadingDraft } from "../reading-draft";
import type { SafeZip } from "../zip";

/** Not converted yet. */
export async function convertPdf(_input: Uint8Array | SafeZip, _options: ConvertOptions): Promise<ReadingDraft> {
  throw new ConversionRefusal("unsupported-type", "This format is not converted yet.", 415);
}
