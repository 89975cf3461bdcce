/**
 * Word documents through mammoth, which reads a DOCX's structure (heading
 * styles, lists, tables, footnotes and endnotes, line breaks, images with
 * their alt text) into simple HTML; the HTML converter does the rest. The
 * archive is opened and checked by zip.ts first (sizes, names, no XML entity
 * declarations or DOCTYPEs), so mammoth only ever sees a checked file.
 */
import mammoth from "mammoth";
import type { SafeZip } from "../zip";
import { ConversionRefusal } from "../types";
import type { ReadingDraft } from "../reading-draft";
import { addImage, convertHtmlTree, parseHtml } from "./html";
import { newDraft } from "../reading-draft";

const ALLOWED_IMAGES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** Converts a DOCX. */
export async function convertDocx(bytes: Uint8Array, zip: SafeZip): Promise<ReadingDraft> {
  for (const name of zip.names) {
    if (!/\.(xml|rels)$/i.test(name)) continue;
    const text = await zip.text(name);
    if (/<!DOCTYPE/i.test(text)) {
      throw new ConversionRefusal(
        "unsafe",
        `“${name}” in the document has a DOCTYPE, which Word never writes; the file was refused for safety.`,
        422,
      );
    }
  }
  const draft = newDraft();
  const core = zip.has("docProps/core.xml") ? await zip.text("docProps/core.xml") : "";
  const coreTitle = xmlField(core, "dc:title");
  const coreAuthor = xmlField(core, "dc:creator");
  const imageKeys = new Map<string, string>();
  let imageCount = 0;
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes) },
    {
      styleMap: [
        "p[style-name='Title'] => h1.title:fresh",
        "p[style-name='Subtitle'] => p.subtitle:fresh",
        "p[style-name='Author'] => p.author:fresh",
        "p[style-name='Date'] => p.date:fresh",
        "p[style-name='Block Text'] => blockquote > p:fresh",
      ],
      convertImage: mammoth.images.imgElement(async (image) => {
        imageCount++;
        const key = `docx-image-${imageCount}`;
        if (!ALLOWED_IMAGES.has(image.contentType)) return { src: "" };
        const data = Buffer.from(await image.read());
        const kept = addImage(draft, image.contentType, data, (image as { altText?: string }).altText ?? "");
        if (kept) imageKeys.set(key, kept.key);
        return { src: kept ? `marginalia-image:${kept.key}` : "" };
      }),
    },
  );
  const tree = parseHtml(result.value.replace(/src="marginalia-image:/g, 'src="data:marginalia/'));
  convertHtmlTree(tree, {
    draft,
    takeTitle: true,
    resolveImage: (src) =>
      src.startsWith("data:marginalia/") ? { key: src.slice("data:marginalia/".length) } : null,
  });
  if (!draft.title) draft.title = coreTitle;
  if (!draft.byline) draft.byline = coreAuthor;
  // Ordinary body styles (Word's and pandoc's) are paragraphs anyway; name only the others.
  const ordinary =
    /^(Normal|Body Text|First Paragraph|Compact|Abstract|Footnote Text|Endnote Text|List Paragraph)$/i;
  const styles = new Set(
    result.messages
      .flatMap((message) => /Unrecognised paragraph style: '([^']+)'/.exec(message.message)?.slice(1) ?? [])
      .filter((style) => !ordinary.test(style)),
  );
  if (styles.size > 0) {
    draft.warnings.push({
      code: "docx-styles",
      message: `Paragraphs in these Word styles were kept as ordinary paragraphs: ${[...styles].join(", ")}.`,
    });
  }
  return draft;
}

/** The text of a simple XML element (core properties), entities left as written apart from the five basic ones. */
function xmlField(xml: string, tag: string): string {
  const match = new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`).exec(xml);
  if (!match) return "";
  return (match[1] as string)
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();
}
