"use client";

import { Dialog } from "radix-ui";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiError, apiRequest } from "@/lib/client/api";
import { readingPath } from "@/lib/shared/urls";

/**
 * "Edit a copy for this seminar": a library text is edited by nobody; an instructor who
 * wants to change it replaces the seminar's reading by a copy of their own
 * (docs/adr/0026). The dialog says what moves and what does not before they choose.
 */
export function EditCopyDialog({ seminarId, documentId }: { seminarId: string; documentId: string }) {
  const router = useRouter();
  const [isPending, setIsPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const makeCopy = async () => {
    setIsPending(true);
    setError(null);
    try {
      const copy = await apiRequest<{ documentId: string }>(
        "POST",
        `/api/seminars/${encodeURIComponent(seminarId)}/documents/${encodeURIComponent(documentId)}/copy`,
      );
      router.replace(readingPath(seminarId, copy.documentId));
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : "The copy could not be made. Try again.");
      setIsPending(false);
    }
  };
  return (
    <Dialog.Root onOpenChange={() => setError(null)}>
      <Dialog.Trigger className="button-link reading-bar-action">Edit a copy for this seminar</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title className="dialog-title">Edit a copy for this seminar?</Dialog.Title>
          <Dialog.Description className="dialog-description">
            This text is from the library, which nobody edits. To change its words for your seminar,
            Marginalia makes a copy of it as it reads now, owned by you, and your seminar reads the copy from
            then on.
          </Dialog.Description>
          <ul className="dialog-list">
            <li>
              The seminar’s annotations, comments and snapshots move to the copy, on the same passages; its
              members’ private notes are copied to it.
            </li>
            <li>Other seminars that read this text keep the library text and see none of your changes.</li>
            <li>Later changes to the library text will not reach your copy.</li>
          </ul>
          <p className="form-error" role="alert">
            {error}
          </p>
          <div className="dialog-actions">
            <button
              type="button"
              className="button button-primary button-small"
              disabled={isPending}
              onClick={() => void makeCopy()}
            >
              {isPending ? "Making the copy…" : "Make the copy and edit it"}
            </button>
            <Dialog.Close className="button button-small">Cancel</Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
