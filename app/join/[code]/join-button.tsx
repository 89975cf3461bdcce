"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";
import { seminarPath } from "@/lib/shared/urls";

/** Joins with the code and opens the seminar. */
export function JoinButton({ code }: { code: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isPending, setPending] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button button-primary button-block"
        disabled={isPending}
        onClick={() => {
          setPending(true);
          setError(null);
          apiRequest<{ seminarId: string }>("POST", "/api/join", { code })
            .then(({ seminarId }) => router.push(seminarPath(seminarId)))
            .catch((failure: unknown) => {
              setPending(false);
              setError(failure instanceof ApiError ? failure.message : "Could not join.");
            });
        }}
      >
        {isPending ? "Joining…" : "Join seminar"}
      </button>
      <p className="form-error" role="alert" aria-live="assertive">
        {error}
      </p>
    </>
  );
}
