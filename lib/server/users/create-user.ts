import { AppError } from "@/lib/shared/errors";
import { ZSignUpRequest } from "@/lib/shared/validation/auth";
import { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { hashPassword } from "../auth/password";

/** Creates an account with an email and password; conflict when the email is taken. */
export async function createUser(input: unknown) {
  const parsed = ZSignUpRequest.safeParse(input);
  if (!parsed.success) {
    throw new AppError("invalid_input", parsed.error.issues[0]?.message ?? "Check the form.", {
      fields: Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join("."), issue.message])),
    });
  }
  const { name, email, password } = parsed.data;
  const taken = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (taken) throw new AppError("conflict", "An account with this email already exists. Sign in instead.");
  const passwordHash = await hashPassword(password);
  try {
    return await db.user.create({
      data: { name, email, passwordHash },
      select: { id: true, email: true, name: true },
    });
  } catch (error) {
    // Two sign-ups with one email at once: the unique index decides.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", "An account with this email already exists. Sign in instead.");
    }
    throw error;
  }
}
