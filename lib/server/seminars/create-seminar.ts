import { randomBytes } from "node:crypto";
import { DEFAULT_CATEGORIES } from "@/lib/shared/categories";
import { AppError } from "@/lib/shared/errors";
import { ZCreateSeminarRequest } from "@/lib/shared/validation/seminars";
import { db, type Tx } from "../db";
import type { Actor } from "../policies";
import { parseInput } from "../parse-input";

/** A new join code: 10 characters, no look-alikes (0/O, 1/l). */
export function newInviteCode(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(10);
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join("");
}

/** Creates the first invite of a seminar (used inside the creating transaction). */
export async function createInvite(tx: Tx, seminarId: string, userId: string, expiresAt: Date | null = null) {
  return tx.invite.create({ data: { seminarId, code: newInviteCode(), createdById: userId, expiresAt } });
}

/** Creates a seminar; its creator becomes its instructor. It starts with the default categories and an invite link. */
export async function createSeminar(actor: Actor, input: unknown) {
  if (!actor) throw new AppError("unauthenticated", "Sign in to create a seminar.");
  const request = parseInput(ZCreateSeminarRequest, input);
  return db.$transaction(async (tx) => {
    const seminar = await tx.seminar.create({
      data: {
        title: request.title,
        description: request.description,
        createdById: actor.userId,
        memberships: { create: { userId: actor.userId, role: "INSTRUCTOR" } },
        categories: { create: DEFAULT_CATEGORIES.map((category, position) => ({ ...category, position })) },
      },
      select: { id: true, title: true },
    });
    await createInvite(tx, seminar.id, actor.userId);
    return seminar;
  });
}
