"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";

/** Removes a reading from the seminar (asks first). */
export function RemoveReadingButton({
  seminarId,
  readingId,
  title,
}: {
  seminarId: string;
  readingId: string;
  title: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="button-link button-link-danger"
        aria-label={`Remove the reading ${title}`}
        onClick={() => {
          if (!window.confirm(`Remove “${title}” from the readings? Its annotations are kept.`)) return;
          apiRequest("DELETE", `/api/seminars/${seminarId}/readings/${readingId}`)
            .then(() => router.refresh())
            .catch((failure: unknown) =>
              setError(failure instanceof ApiError ? failure.message : "Could not remove it."),
            );
        }}
      >
        Remove
      </button>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
