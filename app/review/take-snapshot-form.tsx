"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";
import { formText } from "@/lib/client/forms";

type Props = { seminarId: string; documentId: string };

/** Takes a named snapshot of the discussion now (instructors). */
export function TakeSnapshotForm({ seminarId, documentId }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [isPending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const name = formText(new FormData(formElement), "name");
    setPending(true);
    setError(null);
    setStatus(null);
    try {
      await apiRequest("POST", `/api/seminars/${seminarId}/documents/${documentId}/snapshots`, { name });
      formElement.reset();
      setStatus(`Snapshot “${name.trim()}” taken.`);
      router.refresh();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : "Could not take the snapshot.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="snapshot-form" onSubmit={(event) => void onSubmit(event)} aria-label="Take a snapshot">
      <div className="field">
        <label htmlFor="snapshot-name">Snapshot name</label>
        <div className="snapshot-form-row">
          <input
            id="snapshot-name"
            name="name"
            required
            maxLength={120}
            placeholder="e.g. Before Thursday’s seminar"
          />
          <button type="submit" className="button button-primary" disabled={isPending}>
            {isPending ? "Taking…" : "Take snapshot"}
          </button>
        </div>
        <p className="field-hint">
          Keeps the discussion as it is now, read-only. Private notes are never included.
        </p>
      </div>
      <p className="form-error" role="alert">
        {error}
      </p>
      <p className="status" role="status">
        {status}
      </p>
    </form>
  );
}
