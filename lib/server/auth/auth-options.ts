/**
 * next-auth v4 with JWT sessions. Each sign-in also creates a UserSession row
 * whose id rides in the token, so a session can be revoked (sign-out, or an
 * administrator) and the collab server can close that session's sockets.
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { isAppError } from "@/lib/shared/errors";
import { getEnv } from "../env";
import { authenticate } from "./authenticate";
import { linkOAuthAccount } from "./link-oauth-account";
import { createUserSession, revokeUserSession } from "./sessions";

/** Session lifetime. */
const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

/** The OAuth providers switched on by the environment. */
export function getOAuthProviders(): { id: string; name: string }[] {
  const env = getEnv();
  const providers: { id: string; name: string }[] = [];
  if (env.GITHUB_ID && env.GITHUB_SECRET) providers.push({ id: "github", name: "GitHub" });
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) providers.push({ id: "google", name: "Google" });
  return providers;
}

/** next-auth's options, built from the environment. */
export function getAuthOptions(): NextAuthOptions {
  const env = getEnv();
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials) {
        try {
          return await authenticate(credentials);
        } catch (error) {
          // next-auth passes an Error's message to the sign-in page as `error`.
          if (isAppError(error)) throw new Error(error.message);
          throw error;
        }
      },
    }),
  ];
  if (env.GITHUB_ID && env.GITHUB_SECRET) {
    providers.push(GitHubProvider({ clientId: env.GITHUB_ID, clientSecret: env.GITHUB_SECRET }));
  }
  if (env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET) {
    providers.push(
      GoogleProvider({ clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET }),
    );
  }

  return {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async signIn({ user, account, profile }) {
        if (!account || account.type !== "oauth") return true;
        // OAuth: find or create our user by verified email, and link the identity.
        const email = user.email ?? profile?.email;
        // A code, worded by the sign-in page (it shows no free text from the URL).
        if (!email) return "/signin?error=OAuthNoEmail";
        const linked = await linkOAuthAccount({
          provider: account.provider,
          providerAccountId: account.providerAccountId,
          email,
          name: user.name ?? email,
        });
        user.id = linked.id;
        return true;
      },
      async jwt({ token, user }) {
        if (user) {
          // The moment of sign-in: record a session we can revoke.
          token.uid = user.id;
          token.sid = await createUserSession(user.id);
        }
        return token;
      },
      session({ session, token }) {
        session.sid = token.sid;
        session.user = { id: token.uid ?? "", name: token.name ?? "", email: token.email ?? "" };
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.sid) await revokeUserSession(token.sid);
      },
    },
  };
}
