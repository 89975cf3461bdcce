"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";
import { formText } from "@/lib/client/forms";
import { seminarPath } from "@/lib/shared/urls";

/** Title and description; creates the seminar and opens it. */
export function NewSeminarForm() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isPending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const { seminar } = await apiRequest<{ seminar: { id: string } }>("POST", "/api/seminars", {
        title: formText(form, "title"),
        description: formText(form, "description"),
      });
      router.push(seminarPath(seminar.id));
    } catch (failure) {
      setPending(false);
      setError(failure instanceof ApiError ? failure.message : "Could not create the seminar.");
    }
  }

  return (
    <form className="form form-wide" onSubmit={(event) => void onSubmit(event)}>
      <div className="field">
        <label htmlFor="title">Title</label>
        <input
          id="title"
          name="title"
          required
          maxLength={120}
          placeholder="Mexico and the Right of Asylum"
        />
      </div>
      <div className="field">
        <label htmlFor="description">
          Description <span className="optional">optional</span>
        </label>
        <textarea id="description" name="description" rows={3} maxLength={2000} />
      </div>
      <p className="form-error" role="alert" aria-live="assertive">
        {error}
      </p>
      <button type="submit" className="button button-primary" disabled={isPending}>
        {isPending ? "Creating…" : "Create seminar"}
      </button>
    </form>
  );
}
