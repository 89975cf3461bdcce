import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { signInUrl } from "@/lib/shared/urls";
import { NewSeminarForm } from "./new-seminar-form";

export const metadata: Metadata = { title: "New seminar" };
export const dynamic = "force-dynamic";

export default async function NewSeminarPage() {
  if (!(await getCurrentUser())) redirect(signInUrl("/seminars/new"));
  return (
    <div className="page page-narrow">
      <p className="eyebrow">New seminar</p>
      <h1 className="page-title">Start a seminar</h1>
      <p className="lede">You will be its instructor. Invite your students with a link once it exists.</p>
      <NewSeminarForm />
    </div>
  );
}
