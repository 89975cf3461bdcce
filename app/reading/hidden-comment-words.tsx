"use client";

import { useEffect, useState } from "react";
import type { CommentBody } from "@/lib/shared/comments/comment-body";
import { readCommentBody } from "@/lib/shared/comments/read-comment-body";
import { ApiError, apiRequest } from "@/lib/client/api";
import { CommentBodyView } from "./comment-body-view";

/**
 * A hidden comment as an instructor sees it: its words, marked hidden. The seminar room
 * never carries them (students must not receive them), so they are asked for over the
 * API, which answers instructors only.
 */
export function HiddenCommentWords({ commentId }: { commentId: string }) {
  const [body, setBody] = useState<CommentBody | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let isCurrent = true;
    apiRequest<{ body: unknown }>("GET", `/api/comments/${encodeURIComponent(commentId)}`)
      .then((result) => {
        if (isCurrent) setBody(readCommentBody(result.body));
      })
      .catch((failure: unknown) => {
        if (isCurrent) setError(failure instanceof ApiError ? failure.message : "Could not load its words.");
      });
    return () => {
      isCurrent = false;
    };
  }, [commentId]);
  return (
    <div className="comment-hidden-words">
      <p className="comment-gone">Hidden from students.</p>
      {body && <CommentBodyView body={body} className="comment-body-hidden" />}
      {error && <p className="form-error">{error}</p>}
    </div>
  );
}
