"use client";

import { useState } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";
import { NOTIFICATION_SETTINGS_PATH } from "@/lib/shared/urls";

/** One click turns the kind off. */
export function UnsubscribeButton({ token, label }: { token: string; label: string }) {
  const [state, setState] = useState<"idle" | "pending" | "done">("idle");
  const [error, setError] = useState<string | null>(null);

  async function onClick() {
    setState("pending");
    setError(null);
    try {
      await apiRequest("POST", `/api/unsubscribe?token=${encodeURIComponent(token)}`);
      setState("done");
    } catch (failure) {
      setState("idle");
      setError(failure instanceof ApiError ? failure.message : "Could not unsubscribe. Try again.");
    }
  }

  if (state === "done") {
    return (
      <p role="status">
        Done: “{label}” is off. You can turn it on again in your{" "}
        <a href={NOTIFICATION_SETTINGS_PATH}>notification settings</a>.
      </p>
    );
  }
  return (
    <>
      <button
        type="button"
        className="button button-primary"
        disabled={state === "pending"}
        onClick={() => void onClick()}
      >
        Unsubscribe from “{label}”
      </button>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
