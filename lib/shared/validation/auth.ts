import "./zod-in-browsers";
import { z } from "zod";
import { ZSafeText } from "./text";

/** Shortest password accepted (NIST SP 800-63B's minimum). */
export const MIN_PASSWORD_LENGTH = 8;
/** Longest password accepted; bounds the hashing work one request can cause. */
export const MAX_PASSWORD_LENGTH = 256;

/** An email address, trimmed and lower-cased. */
export const ZEmail = ZSafeText("Email")
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address."));

/** A new password. */
export const ZNewPassword = ZSafeText("Password")
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters.`);

/** Sign-up form. */
export const ZSignUpRequest = z.object({
  name: ZSafeText("Display name").trim().min(1, "Enter your name.").max(80, "Use at most 80 characters."),
  email: ZEmail,
  password: ZNewPassword,
});
export type TSignUpRequest = z.infer<typeof ZSignUpRequest>;

/** Sign-in form (the Credentials provider's fields). */
export const ZSignInRequest = z.object({
  email: ZEmail,
  password: ZSafeText("Password").min(1, "Enter your password.").max(MAX_PASSWORD_LENGTH),
});
export type TSignInRequest = z.infer<typeof ZSignInRequest>;
