/**
 * Hostile and wrong files get a clear refusal with the right code and status;
 * nothing in them runs or is fetched. Crafted here, in the test.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convertUpload } from "@/lib/server/imports/convert";
import { runConversion } from "@/lib/server/imports/run-conversion";
import { converted, fixture, nodesOf, textOf } from "./import-kit";

const bytes = (text: string) => new TextEncoder().encode(text);

/** A minimal DOCX around a document.xml body. */
async function docx(documentXml: string, extra: Record<string, string | Uint8Array> = {}) {
  const zip = new JSZip();
  zip.file(
    "[Content_Types].xml",
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    "_rels/.rels",
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file("word/document.xml", documentXml);
  for (const [name, content] of Object.entries(extra)) zip.file(name, content, { createFolders: false });
  return zip.generateAsync({ type: "uint8array", compression: "DEFLATE", compressionOptions: { level: 1 } });
}
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const paragraphXml = (text: string) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`;
const documentXml = (body: string, prolog = "") =>
  `<?xml version="1.0"?>${prolog}<w:document ${W}><w:body>${body}</w:body></w:document>`;

/** A one-page PDF with a line of text and, optionally, JavaScript run on opening. */
function pdfWith(text: string, javascript?: string): Uint8Array {
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    `<< /Type /Catalog /Pages 2 0 R${javascript ? ` /OpenAction << /S /JavaScript /JS (${javascript}) >>` : ""} >>`,
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return bytes(out);
}

describe("detection", () => {
  it("refuses a file whose extension says one format and whose content is another", async () => {
    const result = await runConversion({ bytes: fixture("essay.pdf"), filename: "essay.docx" });
    expect(result).toMatchObject({ ok: false, code: "wrong-extension", status: 415 });
    if (!result.ok) expect(result.message).toContain("its content is a PDF");
  });

  it("refuses a file that is no format we read", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0, 1, 2, 3]);
    expect(await runConversion({ bytes: png, filename: "picture.pdf" })).toMatchObject({
      ok: false,
      code: "unsupported-type",
      status: 415,
    });
    expect(await runConversion({ bytes: bytes("hello there, reader"), filename: "notes.rtf" })).toMatchObject(
      {
        ok: false,
        code: "unsupported-type",
        status: 415,
      },
    );
  });

  it("refuses an upload over 25 MiB before starting a worker", async () => {
    const result = await convertUpload({ bytes: new Uint8Array(25 * 1024 * 1024 + 1), filename: "big.pdf" });
    expect(result).toMatchObject({ ok: false, code: "too-large", status: 413 });
  });
});

describe("archives (DOCX, EPUB)", () => {
  it("refuses a zip bomb: entries that unpack to more than 100 MiB", async () => {
    const bomb = await docx(documentXml(paragraphXml("A short text.")), {
      "word/media/padding.bin": new Uint8Array(110 * 1024 * 1024),
    });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await runConversion({ bytes: bomb, filename: "bomb.docx" })).toMatchObject({
      ok: false,
      code: "too-large",
      status: 413,
    });
  });

  it("refuses an entry whose name climbs out of the archive (../)", async () => {
    const file = await docx(documentXml(paragraphXml("A short text.")), { "../../etc/evil.xml": "<x/>" });
    const result = await runConversion({ bytes: file, filename: "escape.docx" });
    expect(result).toMatchObject({ ok: false, code: "unsafe", status: 422 });
  });

  it("refuses XML entity declarations in a DOCX (expansion bombs, external entities)", async () => {
    const laughs =
      '<!DOCTYPE w:document [<!ENTITY a "hahahahaha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>';
    const bomb = await docx(documentXml(paragraphXml("&c;"), laughs));
    expect(await runConversion({ bytes: bomb, filename: "laughs.docx" })).toMatchObject({
      ok: false,
      code: "unsafe",
    });
    const external = await docx(
      documentXml(paragraphXml("&x;"), '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
    );
    const result = await runConversion({ bytes: external, filename: "external.docx" });
    expect(result).toMatchObject({ ok: false, code: "unsafe" });
  });

  it("refuses XML entity declarations in an EPUB chapter", async () => {
    const zip = await JSZip.loadAsync(fixture("notes.epub"));
    const chapter = Object.keys(zip.files).find((name) => /ch\d+\.xhtml$/.test(name)) as string;
    const xhtml = await zip.file(chapter)!.async("string");
    zip.file(
      chapter,
      xhtml.replace("<html", '<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<html'),
    );
    const file = await zip.generateAsync({ type: "uint8array" });
    expect(await runConversion({ bytes: file, filename: "entity.epub" })).toMatchObject({
      ok: false,
      code: "unsafe",
    });
  });

  it("converts a plain DOCX made with a library (not Word), as a sanity check of the crafted files", async () => {
    const file = await docx(
      documentXml(paragraphXml("A short text, made by a library.") + paragraphXml("A second paragraph.")),
    );
    const result = converted(await runConversion({ bytes: file, filename: "library.docx" }));
    expect(nodesOf(result.content, "paragraph").map(textOf)).toEqual([
      "A short text, made by a library.",
      "A second paragraph.",
    ]);
  });
});

describe("active content", () => {
  let requests = 0;
  let origin = "";
  const server = createServer((_req, res) => {
    requests++;
    res.end("x");
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("strips scripts, event handlers, javascript: links, frames and styles from HTML, and fetches nothing", async () => {
    const html = `<!doctype html><html><head><title>Hostile</title><script>globalThis.pwned = 1</script>
      <link rel="stylesheet" href="${origin}/style.css"><style>body{background:url(${origin}/bg.png)}</style></head>
      <body><h1>Hostile</h1><p onclick="alert(1)">A paragraph with <a href="javascript:alert(1)">a bad link</a>,
      <a href="${origin}/page">a good link</a> and <a href="mailto:someone@example.org">mail</a>.</p>
      <img src="${origin}/tracker.png" alt="tracker" onerror="alert(2)"><iframe src="${origin}/frame"></iframe>
      <object data="${origin}/object"></object><svg><script>alert(3)</script></svg>
      <p>The last paragraph.</p></body></html>`;
    const result = converted(await runConversion({ bytes: bytes(html), filename: "hostile.html" }));
    const json = JSON.stringify(result.content);
    expect(json).not.toMatch(/script|alert|javascript:|onclick|onerror|iframe|tracker/i);
    expect(nodesOf(result.content, "paragraph").map(textOf)).toEqual([
      "A paragraph with a bad link, a good link and mail.",
      "The last paragraph.",
    ]);
    expect(json).toContain(`"href":"${origin}/page"`);
    expect(json).toContain('"href":"mailto:someone@example.org"');
    expect(result.images).toEqual([]);
    expect(result.warnings.map((w) => w.code)).toContain("images-skipped");
    expect(requests).toBe(0);
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it("reads the text of a PDF with JavaScript and ignores the script", async () => {
    const pdf = pdfWith("A page whose PDF carries JavaScript that must not run.", "app.alert('pwned')");
    const result = converted(await runConversion({ bytes: pdf, filename: "script.pdf" }));
    expect(nodesOf(result.content, "paragraph").map(textOf)).toContain(
      "A page whose PDF carries JavaScript that must not run.",
    );
    expect(JSON.stringify(result.content)).not.toContain("pwned");
  });
});
