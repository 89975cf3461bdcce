import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { MIN_PASSWORD_LENGTH } from "@/lib/shared/validation/auth";
import { safeCallbackUrl } from "@/lib/shared/urls";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ callbackUrl?: string }> };

export default async function SignUpPage({ searchParams }: Props) {
  const returnTo = safeCallbackUrl((await searchParams).callbackUrl);
  if (await getCurrentUser()) redirect(returnTo);
  return (
    <div className="page auth-page">
      <div className="auth-card">
        <h1 className="auth-title">Create an account</h1>
        <p className="auth-lede">Read and annotate with your seminar.</p>
        <SignUpForm callbackUrl={returnTo} minPasswordLength={MIN_PASSWORD_LENGTH} />
        <p className="auth-switch">
          Already have an account?{" "}
          <Link href={`/signin?callbackUrl=${encodeURIComponent(returnTo)}`}>Sign in</Link>
        </p>
      </div>
    </div>
  );
}
