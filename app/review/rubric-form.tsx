"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";
import { RUBRIC_LIMITS, type Rubric } from "@/lib/shared/grades/score";

type Props = { seminarId: string; documentId: string; rubric: Rubric; hasDueDate: boolean };

/** The reading's participation rubric (instructors). */
export function RubricForm({ seminarId, documentId, rubric, hasDueDate }: Props) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [isPending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const whole = (name: string) => Number(data.get(name));
    setPending(true);
    setError(null);
    setStatus(null);
    try {
      await apiRequest("PUT", `/api/seminars/${seminarId}/documents/${documentId}/grades`, {
        threadPoints: whole("threadPoints"),
        replyPoints: whole("replyPoints"),
        maxPoints: whole("maxPoints"),
        minWords: whole("minWords"),
        onTimeOnly: data.get("onTimeOnly") === "on",
      });
      setStatus("Rubric saved; scores updated.");
      router.refresh();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : "Could not save the rubric.");
    } finally {
      setPending(false);
    }
  }

  const number = (name: keyof Rubric, label: string, max: number, min = 0) => (
    <div className="field rubric-field">
      <label htmlFor={`rubric-${name}`}>{label}</label>
      <input
        id={`rubric-${name}`}
        name={name}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        required
        defaultValue={String(rubric[name])}
      />
    </div>
  );

  return (
    <form className="rubric-form" onSubmit={(event) => void onSubmit(event)} aria-label="Rubric">
      <div className="rubric-fields">
        {number("threadPoints", "Points per thread started", RUBRIC_LIMITS.points)}
        {number("replyPoints", "Points per reply", RUBRIC_LIMITS.points)}
        {number("maxPoints", "Points possible", RUBRIC_LIMITS.maxPoints, 1)}
        {number("minWords", "Fewest words to count", RUBRIC_LIMITS.minWords)}
      </div>
      <label className="checkbox-field">
        <input type="checkbox" name="onTimeOnly" defaultChecked={rubric.onTimeOnly} /> Only comments before
        the due date count{hasDueDate ? "" : " (this reading has no due date yet)"}
      </label>
      <button type="submit" className="button button-primary" disabled={isPending}>
        {isPending ? "Saving…" : "Save rubric"}
      </button>
      <p className="form-error" role="alert">
        {error}
      </p>
      <p className="status" role="status">
        {status}
      </p>
    </form>
  );
}
