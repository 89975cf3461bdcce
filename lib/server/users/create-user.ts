import { AppError } from "@/lib/shared/errors";
import { ZSignUpRequest } from "@/lib/shared/validation/auth";
import { Prisma } from "../generated/prisma/client";
import { db } from "../db";
import { hashPassword } from "../auth/password";
import { parseInput } from "../parse-input";

/** Creates an account with an email and password; conflict when the email is taken. */
export async function createUser(input: unknown) {
  const { name, email, password } = parseInput(ZSignUpRequest, input, { withFields: true });
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
