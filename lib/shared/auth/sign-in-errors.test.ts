import { describe, expect, it } from "vitest";
import { GENERIC_SIGN_IN_ERROR, signInErrorMessage } from "./sign-in-errors";

describe("signInErrorMessage", () => {
  it.each([
    ["OAuthAccountNotLinked", "That email is already used by another sign-in method."],
    ["CredentialsSignin", "That email and password do not match an account."],
    ["OAuthNoEmail", "Your account at that provider has no email address."],
    ["SessionRequired", "Sign in to see that page."],
  ])("words the known code %s", (code, message) => {
    expect(signInErrorMessage(code)).toBe(message);
  });

  it.each([
    ["free text", "Your account is locked. Call +1 555 0100 to unlock it."],
    ["markup", "<img src=x onerror=alert(1)>"],
    ["a code in the wrong case", "oauthsignin"],
    ["an Object.prototype name", "constructor"],
    ["another prototype name", "__proto__"],
    ["a repeated parameter", ["Callback", "Callback"]],
  ])("shows only the generic message for %s", (_name, code) => {
    expect(signInErrorMessage(code)).toBe(GENERIC_SIGN_IN_ERROR);
  });

  it("says nothing when there is no error", () => {
    expect(signInErrorMessage(undefined)).toBeNull();
    expect(signInErrorMessage("")).toBeNull();
  });
});
