import type { JSONContent } from "@tiptap/core";
import type { Actor } from "../policies";
import { requireUpload } from "./require-upload";

/** What the preview shows of an upload. */
export type UploadPreview = {
  id: string;
  /** The file's name as sent. */
  filename: string;
  /** The format it was read as. */
  format: string;
  /** Editable metadata. */
  metadata: { title: string; byline: string; source: string; date: string | null };
  /** What the conversion found. */
  found: {
    sections: number;
    notes: number;
    pages: number;
    images: number;
    tables: number;
    verseLines: number;
  };
  /** EPUB chapters, when there are some. */
  chapters: { title: string; index: number }[] | null;
  /** Warnings in plain words. */
  warnings: { code: string; message: string }[];
  /** The text in the reading schema, header included. */
  content: JSONContent;
  /** The document this would replace as a new version, if any. */
  replacesDocumentId: string | null;
  /** When the preview is deleted unless published. */
  expiresAt: string;
};

/** The actor's upload in preview; not_found for anyone else's. */
export async function getUpload(actor: Actor, uploadId: string): Promise<UploadPreview> {
  const upload = await requireUpload(actor, uploadId);
  return {
    id: upload.id,
    filename: upload.filename,
    format: upload.format,
    metadata: { title: upload.title, byline: upload.byline, source: upload.source, date: upload.date },
    found: upload.found as UploadPreview["found"],
    chapters: (upload.chapters as UploadPreview["chapters"]) ?? null,
    warnings: upload.warnings as UploadPreview["warnings"],
    content: upload.content as JSONContent,
    replacesDocumentId: upload.replacesDocumentId,
    expiresAt: upload.expiresAt.toISOString(),
  };
}
