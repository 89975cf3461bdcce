"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";

/**
 * The instructor's "post first, then see" setting of one reading: how many annotations
 * a student writes before classmates' threads reach them (empty: no gate).
 */
export function PostFirstForm({
  seminarId,
  readingId,
  title,
  count,
}: {
  seminarId: string;
  readingId: string;
  title: string;
  count: number | null;
}) {
  const router = useRouter();
  const id = useId();
  const [value, setValue] = useState(count === null ? "" : String(count));
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="post-first-form"
      onSubmit={(event) => {
        event.preventDefault();
        setError(null);
        setStatus(null);
        const postFirstCount = value.trim() === "" ? null : Number(value);
        apiRequest("PATCH", `/api/seminars/${seminarId}/readings/${readingId}`, { postFirstCount })
          .then(() => {
            setStatus(
              postFirstCount ? `Students post ${postFirstCount} first.` : "Everyone sees everything.",
            );
            router.refresh();
          })
          .catch((failure: unknown) =>
            setError(failure instanceof ApiError ? failure.message : "Could not save the setting."),
          );
      }}
    >
      <label htmlFor={id}>Post first, then see</label>
      <input
        id={id}
        type="number"
        min={1}
        max={50}
        inputMode="numeric"
        placeholder="off"
        value={value}
        onChange={(event) => setValue(event.target.value)}
        aria-label={`Annotations a student posts before seeing classmates' on ${title}`}
        aria-describedby={`${id}-hint`}
      />
      <button type="submit" className="button-link" aria-label={`Save post-first for ${title}`}>
        Save
      </button>
      <span id={`${id}-hint`} className="field-hint">
        Leave empty to show every thread at once.
      </span>
      <span role="status" className="field-hint">
        {status}
      </span>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
