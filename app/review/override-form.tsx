"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";
import { formText } from "@/lib/client/forms";

type Props = { url: string; studentName: string; hasOverride: boolean };

/** Overrides one student's score with a reason, or removes the override (instructors). */
export function OverrideForm({ url, studentName, hasOverride }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isPending, setPending] = useState(false);

  async function send(method: "PUT" | "DELETE", body?: unknown) {
    setPending(true);
    setError(null);
    try {
      await apiRequest(method, url, body);
      router.refresh();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : "Could not save the score.");
    } finally {
      setPending(false);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    void send("PUT", { score: Number(data.get("score")), reason: formText(data, "reason") });
  }

  return (
    <details className="override">
      <summary>Override {studentName}’s score</summary>
      <form onSubmit={onSubmit} aria-label={`Override ${studentName}’s score`} className="override-form">
        <label>
          Score <input name="score" type="number" min={0} step="any" required />
        </label>
        <label>
          Reason <input name="reason" required maxLength={1000} />
        </label>
        <button type="submit" className="button" disabled={isPending}>
          Save override
        </button>
        {hasOverride && (
          <button
            type="button"
            className="button-link"
            disabled={isPending}
            onClick={() => void send("DELETE")}
          >
            Use the computed score
          </button>
        )}
        <p className="form-error" role="alert">
          {error}
        </p>
      </form>
    </details>
  );
}
