/**
 * What the sign-in page says for next-auth's `?error=` codes. Only these
 * codes have words: anything else in the query gets the generic message,
 * because the query is whatever a link says, and showing it would let anyone
 * put their words ("Your account is locked, call …") on our sign-in page.
 */

/** next-auth v4's sign-in and error-page codes, plus our own, in words. */
const SIGN_IN_ERRORS: Record<string, string> = {
  Signin: "Could not start signing in. Try again.",
  OAuthSignin: "Could not start signing in with that provider. Try again.",
  OAuthCallback: "Signing in with that provider did not complete. Try again.",
  OAuthCreateAccount: "Could not create an account from that provider's sign-in. Try again.",
  OAuthAccountNotLinked: "That email is already used by another sign-in method.",
  OAuthNoEmail: "Your account at that provider has no email address.",
  EmailCreateAccount: "Could not create an account with that email. Try again.",
  EmailSignin: "Could not send the sign-in email. Try again.",
  Callback: "Signing in did not complete. Try again.",
  CredentialsSignin: "That email and password do not match an account.",
  SessionRequired: "Sign in to see that page.",
  AccessDenied: "Access was denied.",
  Verification: "That sign-in link is no longer valid. Ask for a new one.",
  Configuration: "Signing in is not configured correctly on this server.",
};

/** Shown for a code we do not know. */
export const GENERIC_SIGN_IN_ERROR = "Could not sign you in. Try again.";

/** The message for an `?error=` value; null when there is none. */
export function signInErrorMessage(code: string | string[] | undefined): string | null {
  if (code === undefined || code === "") return null;
  if (typeof code !== "string") return GENERIC_SIGN_IN_ERROR;
  return Object.hasOwn(SIGN_IN_ERRORS, code) ? (SIGN_IN_ERRORS[code] as string) : GENERIC_SIGN_IN_ERROR;
}
