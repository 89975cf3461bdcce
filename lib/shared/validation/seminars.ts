import "./zod-in-browsers";
import { z } from "zod";
import { ZSafeText } from "./text";

/** A cuid, as our ids are. */
export const ZId = z.string().regex(/^[a-z0-9]{8,40}$/, "Not a valid id.");

/** New seminar form. */
export const ZCreateSeminarRequest = z.object({
  title: ZSafeText("Title")
    .trim()
    .min(1, "Give the seminar a title.")
    .max(120, "Use at most 120 characters."),
  description: ZSafeText("Description").trim().max(2000, "Use at most 2000 characters.").default(""),
});
export type TCreateSeminarRequest = z.infer<typeof ZCreateSeminarRequest>;

/** Regenerate the invite link, optionally expiring. */
export const ZRegenerateInviteRequest = z.object({
  /** Days until the link expires; null for a link that does not expire. */
  expiresInDays: z.number().int().min(1).max(365).nullable().default(null),
});
export type TRegenerateInviteRequest = z.infer<typeof ZRegenerateInviteRequest>;

/** Join with a code. */
export const ZJoinSeminarRequest = z.object({
  code: ZSafeText("Invite code").trim().min(1, "Enter the invite code.").max(64),
});

/** Change a member's role. */
export const ZUpdateMemberRequest = z.object({ role: z.enum(["INSTRUCTOR", "STUDENT"]) });

/** Assign a reading. */
export const ZAssignReadingRequest = z.object({
  documentId: ZId,
  dueAt: z.iso.datetime({ offset: true }).nullable().default(null),
  instruction: ZSafeText("Instruction").trim().max(1000, "Use at most 1000 characters.").default(""),
});
export type TAssignReadingRequest = z.infer<typeof ZAssignReadingRequest>;

/** Change a reading's due date or instruction. */
export const ZUpdateReadingRequest = z.object({
  dueAt: z.iso.datetime({ offset: true }).nullable().optional(),
  instruction: ZSafeText("Instruction").trim().max(1000, "Use at most 1000 characters.").optional(),
  /** Post first, then see: comments a student writes before seeing classmates' threads; null turns it off. */
  postFirstCount: z
    .number({ error: "Give the number of annotations as a whole number." })
    .int("Give the number of annotations as a whole number.")
    .min(1, "Ask for at least 1 annotation, or turn post-first off.")
    .max(50, "Ask for at most 50 annotations.")
    .nullable()
    .optional(),
});
