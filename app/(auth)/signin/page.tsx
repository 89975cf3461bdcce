import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { getOAuthProviders } from "@/lib/server/auth/auth-options";
import { safeCallbackUrl } from "@/lib/shared/urls";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ callbackUrl?: string; error?: string }> };

/** next-auth's error codes, in words. Our own messages pass through as they are. */
const ERRORS: Record<string, string> = {
  OAuthSignin: "Could not start signing in with that provider. Try again.",
  OAuthCallback: "Signing in with that provider did not complete. Try again.",
  OAuthAccountNotLinked: "That email is already used by another sign-in method.",
  Callback: "Signing in did not complete. Try again.",
  AccessDenied: "Access was denied.",
  Configuration: "Signing in is not configured correctly on this server.",
  SessionRequired: "Sign in to see that page.",
  Default: "Could not sign you in. Try again.",
};

export default async function SignInPage({ searchParams }: Props) {
  const { callbackUrl, error } = await searchParams;
  const returnTo = safeCallbackUrl(callbackUrl);
  if (await getCurrentUser()) redirect(returnTo);
  const message = error ? (ERRORS[error] ?? error) : null;
  return (
    <div className="page auth-page">
      <div className="auth-card">
        <h1 className="auth-title">Sign in</h1>
        <p className="auth-lede">Welcome back to your seminars.</p>
        <SignInForm callbackUrl={returnTo} initialError={message} providers={getOAuthProviders()} />
        <p className="auth-switch">
          New here?{" "}
          <Link href={`/signup?callbackUrl=${encodeURIComponent(returnTo)}`}>Create an account</Link>
        </p>
      </div>
    </div>
  );
}
