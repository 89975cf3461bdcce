"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";

type Member = { id: string; name: string; role: "INSTRUCTOR" | "STUDENT" };

/** An instructor's actions on another member: change role, remove. */
export function MemberActions({ seminarId, member }: { seminarId: string; member: Member }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isPending, setPending] = useState(false);

  async function run(action: () => Promise<unknown>) {
    setPending(true);
    setError(null);
    try {
      await action();
      router.refresh();
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : "That did not work.");
    } finally {
      setPending(false);
    }
  }

  const isInstructor = member.role === "INSTRUCTOR";
  return (
    <span className="member-actions">
      <button
        type="button"
        className="button-link"
        disabled={isPending}
        aria-label={isInstructor ? `Make student: ${member.name}` : `Make instructor: ${member.name}`}
        onClick={() =>
          void run(() =>
            apiRequest("PATCH", `/api/seminars/${seminarId}/members/${member.id}`, {
              role: isInstructor ? "STUDENT" : "INSTRUCTOR",
            }),
          )
        }
      >
        {isInstructor ? "Make student" : "Make instructor"}
      </button>
      <button
        type="button"
        className="button-link button-link-danger"
        disabled={isPending}
        aria-label={`Remove ${member.name}`}
        onClick={() => {
          if (window.confirm(`Remove ${member.name} from the seminar? What they wrote stays.`)) {
            void run(() => apiRequest("DELETE", `/api/seminars/${seminarId}/members/${member.id}`));
          }
        }}
      >
        Remove
      </button>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

/** Leaves the seminar (asks first). */
export function LeaveSeminarButton({
  seminarId,
  userId,
  title,
}: {
  seminarId: string;
  userId: string;
  title: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="leave">
      <button
        type="button"
        className="button-link button-link-danger"
        onClick={() => {
          if (!window.confirm(`Leave “${title}”? You will need a new invite to come back.`)) return;
          apiRequest("DELETE", `/api/seminars/${seminarId}/members/${userId}`)
            .then(() => router.push("/"))
            .catch((failure: unknown) =>
              setError(failure instanceof ApiError ? failure.message : "Could not leave."),
            );
        }}
      >
        Leave seminar
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
