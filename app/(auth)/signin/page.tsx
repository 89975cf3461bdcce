import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { getOAuthProviders } from "@/lib/server/auth/auth-options";
import { signInErrorMessage } from "@/lib/shared/auth/sign-in-errors";
import { safeCallbackUrl } from "@/lib/shared/urls";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ callbackUrl?: string; error?: string | string[] }> };

export default async function SignInPage({ searchParams }: Props) {
  const { callbackUrl, error } = await searchParams;
  const returnTo = safeCallbackUrl(callbackUrl);
  if (await getCurrentUser()) redirect(returnTo);
  const message = signInErrorMessage(error);
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
