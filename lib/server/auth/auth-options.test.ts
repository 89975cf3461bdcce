import { afterEach, describe, expect, it } from "vitest";
import { resetEnv } from "../env";
import { getAuthOptions, getOAuthProviders } from "./auth-options";

const KEYS = ["GITHUB_ID", "GITHUB_SECRET", "GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET"] as const;
const saved = Object.fromEntries(KEYS.map((key) => [key, process.env[key]]));

afterEach(() => {
  for (const key of KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  resetEnv();
});

function withEnv(values: Partial<Record<(typeof KEYS)[number], string>>) {
  for (const key of KEYS) delete process.env[key];
  Object.assign(process.env, values);
  resetEnv();
}

describe("sign-in providers", () => {
  it.each([
    [{}, []],
    [{ GITHUB_ID: "id" }, []],
    [{ GITHUB_ID: "id", GITHUB_SECRET: "secret" }, ["github"]],
    [{ GOOGLE_CLIENT_ID: "id", GOOGLE_CLIENT_SECRET: "secret" }, ["google"]],
    [
      { GITHUB_ID: "a", GITHUB_SECRET: "b", GOOGLE_CLIENT_ID: "c", GOOGLE_CLIENT_SECRET: "d" },
      ["github", "google"],
    ],
  ])("with %j, OAuth providers are %j, always after email and password", (env, expected) => {
    withEnv(env);
    expect(getOAuthProviders().map((provider) => provider.id)).toEqual(expected);
    expect(getAuthOptions().providers.map((provider) => provider.id)).toEqual(["credentials", ...expected]);
  });

  it("uses JWT sessions and our own pages", () => {
    withEnv({});
    const options = getAuthOptions();
    expect(options.session?.strategy).toBe("jwt");
    expect(options.pages).toEqual({ signIn: "/signin", error: "/signin" });
  });
});
