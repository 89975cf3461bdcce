"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";

type Props = { seminarId: string; origin: string; invite: { code: string; expiresAt: string | null } | null };

/** The invite link with a copy button; instructors regenerate it, optionally with an expiry. */
export function InvitePanel({ seminarId, origin, invite }: Props) {
  const router = useRouter();
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [expiry, setExpiry] = useState("none");
  const [isPending, setPending] = useState(false);

  const link = invite ? `${origin}/join/${invite.code}` : "";

  async function copy() {
    try {
      await navigator.clipboard.writeText(link);
      setStatus("Invite link copied.");
    } catch {
      setStatus("Select the link and copy it.");
    }
  }

  async function regenerate() {
    setPending(true);
    setError(null);
    try {
      await apiRequest("POST", `/api/seminars/${seminarId}/invite`, {
        expiresInDays: expiry === "none" ? null : Number(expiry),
      });
      setStatus("A new link was made. The old one no longer works.");
      router.refresh();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : "Could not make a new link.");
    } finally {
      setPending(false);
    }
  }

  return (
    <section aria-labelledby="invite-heading" className="panel">
      <h2 id="invite-heading" className="panel-title">
        Invite students
      </h2>
      {invite ? (
        <>
          <label htmlFor="invite-link" className="field-label-small">
            Invite link
          </label>
          <div className="copy-row">
            <input id="invite-link" readOnly value={link} onFocus={(event) => event.currentTarget.select()} />
            <button type="button" className="button button-small" onClick={() => void copy()}>
              Copy invite link
            </button>
          </div>
          <p className="field-hint">
            Join code <code>{invite.code}</code>
            {invite.expiresAt
              ? ` · expires ${new Date(invite.expiresAt).toLocaleDateString("en-GB", { day: "numeric", month: "short" })}`
              : " · does not expire"}
          </p>
        </>
      ) : (
        <p className="field-hint">There is no active invite link.</p>
      )}
      <div className="regenerate-row">
        <label htmlFor="invite-expiry" className="field-label-small">
          New link expires
        </label>
        <select id="invite-expiry" value={expiry} onChange={(event) => setExpiry(event.target.value)}>
          <option value="none">never</option>
          <option value="1">in 1 day</option>
          <option value="7">in 7 days</option>
          <option value="30">in 30 days</option>
        </select>
        <button
          type="button"
          className="button button-small"
          disabled={isPending}
          onClick={() => void regenerate()}
        >
          New invite link
        </button>
      </div>
      <p className="status" role="status" aria-live="polite">
        {status}
      </p>
      <p className="form-error" role="alert">
        {error}
      </p>
    </section>
  );
}
