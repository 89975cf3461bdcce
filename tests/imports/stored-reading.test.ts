/**
 * A converted reading stored as a Document: plain text and offset map as the
 * library importer makes them (page markers add no characters), page lookup
 * for citations, and its images kept in Postgres and shown only to readers of
 * a document that has them.
 */
import { describe, expect, it } from "vitest";
import { getDocumentImage, saveDocumentImages } from "@/lib/server/documents/document-images";
import { db } from "@/lib/server/db";
import { runConversion } from "@/lib/server/imports/run-conversion";
import { sourcePageAt, sourcePagesOf } from "@/lib/shared/anchors/source-page";
import { textOffsetToPos, unpackOffsetMap } from "@/lib/shared/anchors/text-index";
import { documentTextOf } from "@/lib/shared/documents/reading-content";
import { readingDocFromJSON } from "@/lib/shared/schema/reading-schema";
import { buildSeminar, buildUser } from "../helpers/factories";
import { converted, essayParts, fixture } from "./import-kit";

describe("a converted PDF as a stored text", () => {
  it("counts offsets over the words only, and tells the source page of any passage", async () => {
    const result = converted(await runConversion({ bytes: fixture("essay.pdf"), filename: "essay.pdf" }));
    const { plainText, offsetMap } = documentTextOf(result.content);
    const doc = readingDocFromJSON(result.content);
    const runs = unpackOffsetMap(offsetMap);
    const last = essayParts().body.at(-1)!.replace(/\s+/g, " ");
    const start = plainText.indexOf(last.slice(0, 60));
    expect(start).toBeGreaterThan(0);
    const pos = textOffsetToPos(runs, start)!;
    expect(doc.textBetween(pos, pos + 60)).toBe(last.slice(0, 60));
    expect(sourcePageAt(doc, pos)).toBe("3");
    const first = textOffsetToPos(runs, plainText.indexOf("INFAMOUS"))!;
    expect(sourcePageAt(doc, first)).toBe("1");
    expect(sourcePagesOf(doc, first, pos)).toBe("1–3");
  });
});

describe("document images", () => {
  it("stores an upload's images and serves them only to readers of the document", async () => {
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    const html = `<html><body><h1>Pictures</h1><p>A paragraph before the picture.</p>
      <figure><img src="data:image/png;base64,${png.toString("base64")}" alt="A single dot"><figcaption>The dot.</figcaption></figure></body></html>`;
    const result = converted(
      await runConversion({ bytes: new TextEncoder().encode(html), filename: "pictures.html" }),
    );
    expect(result.images).toHaveLength(1);
    const image = result.images[0]!;
    expect(image).toMatchObject({ mediaType: "image/png", alt: "A single dot" });
    expect(JSON.stringify(result.content)).toContain(
      `"key":"${image.key}","alt":"A single dot","caption":"The dot."`,
    );

    const student = await buildUser();
    const outsider = await buildUser();
    const seminar = await buildSeminar({ students: [student], withEssay: false });
    const { plainText, offsetMap } = documentTextOf(result.content);
    const document = await db.document.create({
      data: {
        slug: `pictures-${Date.now()}`,
        title: result.metadata.title,
        byline: "",
        source: "",
        content: result.content,
        plainText,
        offsetMap,
        version: "1",
      },
    });
    await db.reading.create({ data: { seminarId: seminar.id, documentId: document.id } });
    expect(await saveDocumentImages(document.id, result.images)).toBe(1);
    expect(await saveDocumentImages(document.id, result.images)).toBe(0);

    const seen = await getDocumentImage({ userId: student.id }, image.key);
    expect(seen.mediaType).toBe("image/png");
    expect(Buffer.from(seen.bytes).equals(png)).toBe(true);
    await expect(getDocumentImage({ userId: outsider.id }, image.key)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(getDocumentImage(null, image.key)).rejects.toMatchObject({ code: "not_found" });
    await expect(getDocumentImage({ userId: student.id }, "../../etc/passwd")).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
