/**
 * The stored anchor as API input and as a value in a room (docs/architecture.md §3).
 * Bounds keep a hostile client from storing megabytes per highlight; they are
 * looser than what `createAnchor` writes (32 characters of context,
 * relative positions of a few dozen bytes) so that other clients fit.
 */
import "../validation/zod-in-browsers";
import { z } from "zod";
import type { StoredAnchor } from "./anchor";
import { BASE64_PATTERN } from "./base64";
import { ZSafeText } from "../validation/text";

/** Longest quote an anchor may carry. */
export const MAX_QUOTE_LENGTH = 5000;
/** Longest prefix or suffix. */
export const MAX_QUOTE_CONTEXT_LENGTH = 64;
/** Longest base64 relative position. */
export const MAX_RELATIVE_POSITION_LENGTH = 512;

const ZRelativePosition = z
  .string()
  .min(4)
  .max(MAX_RELATIVE_POSITION_LENGTH)
  .regex(BASE64_PATTERN, "Not base64.");

const ZOffset = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** A W3C TextQuoteSelector. */
export const ZTextQuote = z.object({
  exact: ZSafeText("Quote").min(1).max(MAX_QUOTE_LENGTH),
  prefix: ZSafeText("Quote prefix").max(MAX_QUOTE_CONTEXT_LENGTH),
  suffix: ZSafeText("Quote suffix").max(MAX_QUOTE_CONTEXT_LENGTH),
});

/** An annotation's target: relative positions, quote, position (see anchor.ts). */
export const ZStoredAnchor = z.object({
  start: ZRelativePosition,
  end: ZRelativePosition,
  quote: ZTextQuote,
  position: z
    .object({ start: ZOffset, end: ZOffset })
    .refine((position) => position.start < position.end, "The position must not be empty."),
}) satisfies z.ZodType<StoredAnchor>;

/** A valid stored anchor. */
export type TStoredAnchor = z.infer<typeof ZStoredAnchor>;
