/**
 * Anchors travel as base64 (JSON, the Y.Doc projection) and rest as bytes
 * (the Annotation row's anchorStart/anchorEnd).
 */
import type { StoredAnchor } from "@/lib/shared/anchors/anchor";

/** Base64 → bytes. */
export function bytesFromBase64(value: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(value, "base64"));
}

/** The Annotation columns {@link anchorFromRow} reads, for a Prisma `select`. */
export const ANCHOR_COLUMNS = {
  anchorStart: true,
  anchorEnd: true,
  quoteExact: true,
  quotePrefix: true,
  quoteSuffix: true,
  positionStart: true,
  positionEnd: true,
} as const;

/** An Annotation row's quote and plain-text position columns. */
type QuoteColumns = {
  quoteExact: string;
  quotePrefix: string;
  quoteSuffix: string;
  positionStart: number;
  positionEnd: number;
};

/** The anchor of an Annotation row. */
export function anchorFromRow(
  row: QuoteColumns & { anchorStart: Uint8Array; anchorEnd: Uint8Array },
): StoredAnchor {
  return anchorFromColumns({
    ...row,
    start: Buffer.from(row.anchorStart).toString("base64"),
    end: Buffer.from(row.anchorEnd).toString("base64"),
  });
}

/** The anchor of an Annotation row whose relative positions were read as base64 text. */
export function anchorFromColumns(row: QuoteColumns & { start: string; end: string }): StoredAnchor {
  return {
    start: row.start,
    end: row.end,
    quote: { exact: row.quoteExact, prefix: row.quotePrefix, suffix: row.quoteSuffix },
    position: { start: row.positionStart, end: row.positionEnd },
  };
}

/** The Annotation row fields of an anchor. */
export function anchorToRow(anchor: StoredAnchor) {
  return {
    anchorStart: bytesFromBase64(anchor.start),
    anchorEnd: bytesFromBase64(anchor.end),
    quoteExact: anchor.quote.exact,
    quotePrefix: anchor.quote.prefix,
    quoteSuffix: anchor.quote.suffix,
    positionStart: anchor.position.start,
    positionEnd: anchor.position.end,
  };
}
