import { headers } from "next/headers";
import { getEnv } from "../env";

/** The origin the reader reached us at: NEXTAUTH_URL's when set, else from the request's Host. */
export async function getRequestOrigin(): Promise<string> {
  const env = getEnv();
  if (env.NEXTAUTH_URL) return new URL(env.NEXTAUTH_URL).origin;
  const list = await headers();
  const proto = list.get("x-forwarded-proto") ?? "http";
  return `${proto}://${list.get("host") ?? "localhost"}`;
}
