import type { Metadata } from "next";
import Link from "next/link";
import { getCurrentUser } from "@/lib/server/auth/get-current-user";
import { getInviteStatus } from "@/lib/server/seminars/get-invite";
import { JoinButton } from "./join-button";

export const metadata: Metadata = { title: "Join a seminar" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ code: string }> };

export default async function JoinPage({ params }: Props) {
  const { code } = await params;
  const [invite, user] = await Promise.all([getInviteStatus(code), getCurrentUser()]);
  const here = `/join/${encodeURIComponent(code)}`;

  return (
    <div className="page auth-page">
      <div className="auth-card">
        {invite.status === "invalid" && (
          <>
            <h1 className="auth-title">This invite link does not work</h1>
            <p className="auth-lede">
              It may have been replaced by a newer one. Ask your instructor for the current link.
            </p>
          </>
        )}
        {invite.status === "expired" && (
          <>
            <h1 className="auth-title">This invite link has expired</h1>
            <p className="auth-lede">
              The link to <strong>{invite.seminarTitle}</strong> has expired. Ask your instructor for a new
              one.
            </p>
          </>
        )}
        {invite.status === "valid" && (
          <>
            <p className="eyebrow">You are invited</p>
            <h1 className="auth-title">{invite.seminarTitle}</h1>
            {user ? (
              <>
                <p className="auth-lede">Join as {user.name} to read and annotate with the seminar.</p>
                <JoinButton code={code} />
              </>
            ) : (
              <>
                <p className="auth-lede">Create an account or sign in, and you will join the seminar.</p>
                <div className="stack">
                  <Link
                    href={`/signup?callbackUrl=${encodeURIComponent(here)}`}
                    className="button button-primary button-block"
                  >
                    Create an account to join
                  </Link>
                  <Link
                    href={`/signin?callbackUrl=${encodeURIComponent(here)}`}
                    className="button button-block"
                  >
                    Sign in to join
                  </Link>
                </div>
              </>
            )}
          </>
        )}
      </div>
    </div>
  );
}
