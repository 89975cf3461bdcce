import { AppError } from "@/lib/shared/errors";
import { ZSignInRequest } from "@/lib/shared/validation/auth";
import { db } from "../db";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { assertNotThrottled, clearSignInFailures, recordSignInFailure } from "./sign-in-throttle";
import { parseInput } from "../parse-input";

/** The user a sign-in resolves to. */
export type AuthenticatedUser = { id: string; email: string; name: string };

const WRONG = "That email and password do not match an account.";

/**
 * Checks an email and password. Throws AppError: invalid_input for a
 * malformed form, rate_limited while the email is throttled, unauthenticated
 * for a wrong password or an unknown email (the same message for both).
 */
export async function authenticate(input: unknown): Promise<AuthenticatedUser> {
  const { email, password } = parseInput(ZSignInRequest, input);

  await assertNotThrottled(email);
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  const isValid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyAgainstDummy(password), false);
  if (!user || !isValid) {
    await recordSignInFailure(email);
    throw new AppError("unauthenticated", WRONG);
  }
  await clearSignInFailures(email);
  return { id: user.id, email: user.email, name: user.name };
}
