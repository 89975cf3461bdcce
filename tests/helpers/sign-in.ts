/** Signing in through the sign-in page, as a person would, for browser tests. */
import type { Page } from "playwright-core";
import { TEST_PASSWORD } from "./factories";

/**
 * Signs `user` in on `page` (a page of a context with the app's `baseURL`): fills the
 * form by its labels, presses "Sign in", and resolves once the home page has opened.
 */
export async function signInAs(
  page: Page,
  user: { email: string },
  options: {
    /** Their password, when it is not the factories' TEST_PASSWORD. */
    password?: string;
    /** How long the sign-in page may take to open (the first page of a fresh server compiles its route). */
    timeout?: number;
  } = {},
): Promise<void> {
  await page.goto("/signin", options.timeout === undefined ? undefined : { timeout: options.timeout });
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(options.password ?? TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(new URL("/", page.url()).href);
}
