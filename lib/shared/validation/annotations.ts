import "./zod-in-browsers";
import { z } from "zod";
import { ZStoredAnchor } from "../anchors/anchor-schema";
import { ANNOTATION_KINDS } from "../annotations/types";
import { ZSafeText } from "./text";

/** Ids the browser generates for new annotations and comments (so a retry is idempotent). */
export const ZClientId = z.string().regex(/^[a-z0-9]{16,40}$/, "Not a valid id.");

/** Create a shared annotation (a highlight, a comment thread, or a guiding question). */
export const ZCreateAnnotationRequest = z.object({
  id: ZClientId,
  kind: z.enum(ANNOTATION_KINDS),
  categoryId: ZSafeText("Category").max(40).nullable().default(null),
  anchor: ZStoredAnchor,
  /** The first comment (required for comments and guiding questions). */
  body: z.unknown().optional(),
  /** Id for the first comment. */
  commentId: ZClientId.optional(),
});
export type TCreateAnnotationRequest = z.infer<typeof ZCreateAnnotationRequest>;

/** Change an annotation: its category, pin, or resolution. */
export const ZUpdateAnnotationRequest = z
  .object({
    categoryId: ZSafeText("Category").max(40).nullable().optional(),
    pinned: z.boolean().optional(),
    resolved: z.boolean().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, "Say what to change.");

/** Reply in a thread. */
export const ZCreateCommentRequest = z.object({
  id: ZClientId,
  body: z.unknown(),
  parentId: ZSafeText("Parent comment").max(40).nullable().default(null),
});

/** Edit a comment's words, or (instructors) hide or show it. */
export const ZUpdateCommentRequest = z
  .object({ body: z.unknown().optional(), hidden: z.boolean().optional() })
  .refine((value) => value.body !== undefined || value.hidden !== undefined, "Say what to change.");

/** A category's name and colour. */
export const ZCategoryRequest = z.object({
  name: ZSafeText("Category name").trim().min(1, "Name the category.").max(40, "Use at most 40 characters."),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "Choose a colour like #f6d365."),
});

/** Change a category. */
export const ZUpdateCategoryRequest = ZCategoryRequest.partial().extend({
  position: z.number().int().min(0).optional(),
});
