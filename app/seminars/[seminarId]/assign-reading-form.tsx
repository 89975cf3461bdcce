"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";
import { formText } from "@/lib/client/forms";

type Props = { seminarId: string; documents: { id: string; title: string; byline: string }[] };

/** Assigns a text as a reading, with an optional due date and instruction. */
export function AssignReadingForm({ seminarId, documents }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isPending, setPending] = useState(false);

  if (documents.length === 0) {
    return <p className="field-hint assign-empty">Every text in the library is already a reading here.</p>;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const due = formText(form, "dueAt");
    setPending(true);
    setError(null);
    try {
      await apiRequest("POST", `/api/seminars/${seminarId}/readings`, {
        documentId: formText(form, "documentId"),
        // A due date means the end of that day, in the reader's time zone.
        dueAt: due ? new Date(`${due}T23:59:00`).toISOString() : null,
        instruction: formText(form, "instruction"),
      });
      formElement.reset();
      router.refresh();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : "Could not assign the reading.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form
      className="form assign-form"
      onSubmit={(event) => void onSubmit(event)}
      aria-labelledby="assign-heading"
    >
      <h3 id="assign-heading" className="form-title">
        Assign a reading
      </h3>
      <div className="field">
        <label htmlFor="documentId">Text</label>
        <select id="documentId" name="documentId" required>
          {documents.map((document) => (
            <option key={document.id} value={document.id}>
              {document.title} — {document.byline}
            </option>
          ))}
        </select>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="dueAt">
            Due <span className="optional">optional</span>
          </label>
          <input id="dueAt" name="dueAt" type="date" />
        </div>
      </div>
      <div className="field">
        <label htmlFor="instruction">
          Instruction <span className="optional">optional</span>
        </label>
        <textarea
          id="instruction"
          name="instruction"
          rows={2}
          maxLength={1000}
          placeholder="What should readers look for?"
        />
      </div>
      <p className="form-error" role="alert" aria-live="assertive">
        {error}
      </p>
      <button type="submit" className="button button-primary" disabled={isPending}>
        {isPending ? "Assigning…" : "Assign reading"}
      </button>
    </form>
  );
}
