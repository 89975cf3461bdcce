/**
 * Opening a DOCX or EPUB (both ZIP archives) safely: entry count, names and
 * total unpacked size are checked before anything is read, every read counts
 * the bytes it actually inflates (a bomb may lie in its headers), and XML
 * that declares entities is refused (no entity expansion, no external entities).
 */
import JSZip from "jszip";
import { ConversionRefusal, LIMITS } from "./types";

/** JSZip's internal stream helper (untyped in its declarations). */
type ZipStream = {
  on(event: "data", listener: (chunk: Uint8Array) => void): ZipStream;
  on(event: "error", listener: (error: Error) => void): ZipStream;
  on(event: "end", listener: () => void): ZipStream;
  pause(): ZipStream;
  resume(): ZipStream;
};

/** An opened archive with checked reads. */
export type SafeZip = {
  kind: "docx" | "epub" | "other";
  names: string[];
  has(name: string): boolean;
  /** An entry's bytes; throws a refusal past the unpacked-size budget. */
  bytes(name: string): Promise<Uint8Array>;
  /** An entry as UTF-8 text; XML with entity declarations is refused. */
  text(name: string): Promise<string>;
  /** The archive, for a library that opens it itself (mammoth), after every XML entry was checked. */
  raw: JSZip;
};

/** Opens and checks an archive. */
export async function openSafeZip(data: Uint8Array): Promise<SafeZip> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(data, { checkCRC32: false, createFolders: false });
  } catch (error) {
    throw new ConversionRefusal(
      "malformed",
      `The file is a damaged ZIP archive (${(error as Error).message}).`,
      422,
    );
  }
  const names = Object.keys(zip.files);
  if (names.length > LIMITS.zipEntries) {
    throw new ConversionRefusal(
      "unsafe",
      `The archive has ${names.length} entries; a document has far fewer.`,
      422,
    );
  }
  let declared = 0;
  for (const name of names) {
    // JSZip resolves "../" in names on loading; the name as written is kept aside.
    const original =
      (zip.files[name] as JSZip.JSZipObject & { unsafeOriginalName?: string }).unsafeOriginalName ?? name;
    const normalized = original.replace(/\\/g, "/");
    if (normalized.startsWith("/") || normalized.split("/").includes("..") || /^[a-z]:/i.test(normalized)) {
      throw new ConversionRefusal(
        "unsafe",
        `The archive has an entry that points outside it (“${original}”).`,
        422,
      );
    }
    const entry = zip.files[name] as JSZip.JSZipObject & { _data?: { uncompressedSize?: number } };
    declared += entry._data?.uncompressedSize ?? 0;
  }
  if (declared > LIMITS.uncompressedBytes) {
    throw new ConversionRefusal(
      "too-large",
      `The archive unpacks to ${Math.round(declared / 1024 / 1024)} MiB; the limit is ${LIMITS.uncompressedBytes / 1024 / 1024} MiB.`,
      413,
    );
  }

  let inflated = 0;
  const readBytes = (name: string): Promise<Uint8Array> => {
    const entry = zip.file(name);
    if (!entry)
      return Promise.reject(new ConversionRefusal("malformed", `The archive has no “${name}”.`, 422));
    return new Promise((resolve, reject) => {
      const chunks: Uint8Array[] = [];
      const stream = (entry as unknown as { internalStream(type: "uint8array"): ZipStream }).internalStream(
        "uint8array",
      );
      stream
        .on("data", (chunk: Uint8Array) => {
          inflated += chunk.length;
          if (inflated > LIMITS.uncompressedBytes) {
            stream.pause();
            reject(
              new ConversionRefusal(
                "too-large",
                `The archive unpacks to more than ${LIMITS.uncompressedBytes / 1024 / 1024} MiB (a “zip bomb”); it was refused.`,
                413,
              ),
            );
            return;
          }
          chunks.push(chunk);
        })
        .on("error", (error: Error) =>
          reject(
            new ConversionRefusal("malformed", `A damaged entry in the archive (${error.message}).`, 422),
          ),
        )
        .on("end", () => resolve(Buffer.concat(chunks)))
        .resume();
    });
  };
  const readText = async (name: string) => {
    const text = new TextDecoder().decode(await readBytes(name));
    checkXml(name, text);
    return text;
  };

  const has = (name: string) => Boolean(zip.file(name));
  let kind: SafeZip["kind"] = "other";
  if (has("word/document.xml")) kind = "docx";
  else if (has("META-INF/container.xml") || has("mimetype")) kind = "epub";
  return { kind, names, has, bytes: readBytes, text: readText, raw: zip };
}

/** Refuses XML that declares entities (expansion bombs, external entities). */
export function checkXml(name: string, text: string) {
  if (/<!ENTITY/i.test(text)) {
    throw new ConversionRefusal(
      "unsafe",
      `“${name}” in the file declares XML entities, which a document never needs; the file was refused for safety.`,
      422,
    );
  }
}
