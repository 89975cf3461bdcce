/**
 * The PDF's internal links across joined batches. Chromium (Skia) writes each
 * link as a `/Link` annotation naming its destination (`/Dest /passage-12`)
 * and defines the names in the catalog's `/Dests` dictionary, for the
 * elements it printed. A batch names every link but defines only its own
 * targets; pdfunite keeps the annotations and drops every `/Dests`. So each
 * batch's destinations are read as it is printed (page within the batch, view
 * on the page) and, once joined, written back as one `/Dests` dictionary in an
 * incremental update appended to the file (ISO 32000-1 §7.5.6): a link then
 * leads to its target whichever batch printed it. The joined file is never
 * read whole: only its trailer, its cross-reference table, its catalog and its
 * page tree.
 */
import { open } from "node:fs/promises";

/** A named destination: the page (0-based in its file), and the rest of the view array (`/XYZ x y z`). */
export type PdfDestination = { name: string; page: number; view: string };

/** The text of object `number` in a PDF held as a latin1 string ("" when it is not there). */
function objectText(pdf: string, number: number): string {
  const match = new RegExp(`(?:^|[\\r\\n])${number} 0 obj\\b`).exec(pdf);
  if (!match) return "";
  const start = match.index + match[0].length;
  const end = pdf.indexOf("endobj", start);
  return pdf.slice(start, end < 0 ? undefined : end);
}

function refOf(dictionary: string, key: string): number | null {
  const match = new RegExp(`/${key}\\s+(\\d+)\\s+0\\s+R`).exec(dictionary);
  return match ? Number(match[1]) : null;
}

function kidsOf(dictionary: string): number[] {
  const kids = /\/Kids\s*\[([^\]]*)\]/.exec(dictionary)?.[1] ?? "";
  return [...kids.matchAll(/(\d+)\s+0\s+R/g)].map((match) => Number(match[1]));
}

/** The page objects of a page tree, in order, given a function that reads an object's text. */
async function pagesInOrder(root: number, read: (number: number) => Promise<string>): Promise<number[]> {
  const pages: number[] = [];
  const walk = async (number: number, depth: number) => {
    if (depth > 32) return;
    const node = await read(number);
    if (/\/Type\s*\/Pages\b/.test(node)) for (const kid of kidsOf(node)) await walk(kid, depth + 1);
    else pages.push(number);
  };
  await walk(root, 0);
  return pages;
}

/** The named destinations Chromium wrote into one printed batch (its bytes). */
export async function readDestinations(pdfBytes: Uint8Array): Promise<PdfDestination[]> {
  const pdf = Buffer.from(pdfBytes.buffer, pdfBytes.byteOffset, pdfBytes.byteLength).toString("latin1");
  const trailer = pdf.slice(pdf.lastIndexOf("trailer"));
  const root = refOf(trailer, "Root");
  if (root === null) return [];
  const catalog = objectText(pdf, root);
  const destsRef = refOf(catalog, "Dests");
  const pagesRef = refOf(catalog, "Pages");
  if (destsRef === null || pagesRef === null) return [];
  const pages = await pagesInOrder(pagesRef, (number) => Promise.resolve(objectText(pdf, number)));
  const pageIndex = new Map(pages.map((number, index) => [number, index]));
  const destinations: PdfDestination[] = [];
  for (const match of objectText(pdf, destsRef).matchAll(
    /\/([^\s/[\]<>()]+)\s*\[\s*(\d+)\s+0\s+R\s*([^\]]*)\]/g,
  )) {
    const page = pageIndex.get(Number(match[2]));
    if (page !== undefined)
      destinations.push({ name: match[1] as string, page, view: (match[3] as string).trim() });
  }
  return destinations;
}

/** Reads `length` bytes at `position` of an open file as latin1. */
async function readAt(
  handle: Awaited<ReturnType<typeof open>>,
  position: number,
  length: number,
): Promise<string> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead).toString("latin1");
}

/**
 * Appends to the joined file at `path` an update whose catalog names every
 * destination (its `page` counted in the joined file). Expects what pdfunite
 * writes: one classic cross-reference table with one subsection; returns
 * false, leaving the file as it was, when it finds anything else.
 */
export async function writeDestinations(path: string, destinations: PdfDestination[]): Promise<boolean> {
  if (destinations.length === 0) return true;
  const handle = await open(path, "r+");
  try {
    const { size } = await handle.stat();
    const tail = await readAt(handle, Math.max(0, size - 2048), Math.min(size, 2048));
    const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
    const root = refOf(tail.slice(tail.lastIndexOf("trailer")), "Root");
    if (!startxref || root === null) return false;
    const xrefAt = Number(startxref[1]);
    const head = await readAt(handle, xrefAt, 64);
    const section = /^xref\s*\r?\n0 (\d+)\s*\r?\n/.exec(head);
    if (!section) return false;
    const count = Number(section[1]);
    const entriesAt = xrefAt + section[0].length;
    // Entries are 20 bytes each: ten digits of offset, five of generation, the type, two of end of line.
    const readObject = async (number: number): Promise<string> => {
      if (number <= 0 || number >= count) return "";
      const entry = /^(\d{10}) (\d{5}) n/.exec(await readAt(handle, entriesAt + number * 20, 20));
      if (!entry) return "";
      let text = "";
      for (let at = Number(entry[1]); !text.includes("endobj") && at < size; at += 64 * 1024)
        text += await readAt(handle, at, 64 * 1024);
      return objectText(text, number);
    };
    const catalog = await readObject(root);
    const pagesRef = refOf(catalog, "Pages");
    if (pagesRef === null || !/\/Type\s*\/Catalog/.test(catalog)) return false;
    const pages = await pagesInOrder(pagesRef, readObject);
    const inner = catalog.trim().replace(/^<<|>>$/g, "");
    if (/\/Dests\b/.test(inner) || !catalog.trim().startsWith("<<")) return false;

    const destsNumber = count;
    const entries = destinations
      .filter((destination) => pages[destination.page] !== undefined)
      .map((destination) => `/${destination.name} [${pages[destination.page]} 0 R ${destination.view}]`);
    const objects = [
      { number: root, text: `<<${inner} /Dests ${destsNumber} 0 R>>` },
      { number: destsNumber, text: `<<\n${entries.join("\n")}\n>>` },
    ];
    let at = size;
    let update = "\n";
    const offsets = new Map<number, number>();
    for (const object of objects) {
      offsets.set(object.number, at + update.length);
      update += `${object.number} 0 obj\n${object.text}\nendobj\n`;
    }
    const xref = at + update.length;
    update += "xref\n0 1\n0000000000 65535 f\r\n";
    for (const object of [...objects].sort((a, b) => a.number - b.number))
      update += `${object.number} 1\n${String(offsets.get(object.number)).padStart(10, "0")} 00000 n\r\n`;
    update += `trailer\n<</Size ${count + 1} /Root ${root} 0 R /Prev ${xrefAt}>>\nstartxref\n${xref}\n%%EOF\n`;
    at = size;
    await handle.write(Buffer.from(update, "latin1"), 0, update.length, at);
    return true;
  } finally {
    await handle.close();
  }
}
