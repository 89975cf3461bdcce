import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { SignOutButton } from "./sign-out-button";

export const metadata: Metadata = { title: "Sign out" };
export const dynamic = "force-dynamic";

export default async function SignOutPage() {
  const user = await getCurrentUser();
  if (!user) redirect("/");
  return (
    <div className="page auth-page">
      <div className="auth-card">
        <h1 className="auth-title">Sign out</h1>
        <p className="auth-lede">
          You are signed in as <strong>{user.name}</strong> ({user.email}). Signing out also closes your live
          connections to seminars in this browser.
        </p>
        <SignOutButton />
      </div>
    </div>
  );
}
