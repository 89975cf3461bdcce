/** The annotation API, as the reading page calls it. Every call resolves only once the server committed. */
import type { ReactionKind } from "@/lib/shared/reactions/reactions";
import type { StoredAnchor } from "@/lib/shared/anchors/anchor";
import type { AnnotationKind } from "@/lib/shared/annotations/types";
import type { CommentBody } from "@/lib/shared/comments/comment-body";
import { apiRequest } from "../api";

/** POST a new shared annotation. */
export function postAnnotation(
  seminarId: string,
  documentId: string,
  input: {
    id: string;
    kind: AnnotationKind;
    categoryId: string | null;
    anchor: StoredAnchor;
    body?: CommentBody;
    commentId?: string;
  },
) {
  return apiRequest("POST", `/api/seminars/${seminarId}/documents/${documentId}/annotations`, input);
}

/** PATCH an annotation (category, pin, resolution). */
export function patchAnnotation(
  id: string,
  change: { categoryId?: string | null; pinned?: boolean; resolved?: boolean },
) {
  return apiRequest("PATCH", `/api/annotations/${id}`, change);
}

/** DELETE an annotation. */
export function removeAnnotation(id: string) {
  return apiRequest("DELETE", `/api/annotations/${id}`);
}

/** POST a reply. */
export function postComment(
  annotationId: string,
  input: { id: string; body: CommentBody; parentId?: string | null },
) {
  return apiRequest("POST", `/api/annotations/${annotationId}/comments`, input);
}

/** PATCH a comment (words, or hidden). */
export function patchComment(id: string, change: { body?: CommentBody; hidden?: boolean }) {
  return apiRequest("PATCH", `/api/comments/${id}`, change);
}

/** Adds (POST) or takes back (DELETE) the signed-in member's reaction to a comment. */
export function setCommentReaction(id: string, kind: ReactionKind, on: boolean) {
  return apiRequest(on ? "POST" : "DELETE", `/api/comments/${id}/reactions/${kind}`);
}

/** DELETE a comment. */
export function removeComment(id: string) {
  return apiRequest("DELETE", `/api/comments/${id}`);
}

/** Categories. */
export const categoriesApi = {
  create: (seminarId: string, input: { name: string; color: string }) =>
    apiRequest("POST", `/api/seminars/${seminarId}/categories`, input),
  update: (seminarId: string, id: string, input: { name?: string; color?: string }) =>
    apiRequest("PATCH", `/api/seminars/${seminarId}/categories/${id}`, input),
  remove: (seminarId: string, id: string) =>
    apiRequest("DELETE", `/api/seminars/${seminarId}/categories/${id}`),
};

/** GET a shared thread's full body (every comment the reader may see). */
export function getThreadBody(annotationId: string) {
  return apiRequest<unknown>("GET", `/api/annotations/${annotationId}/thread`);
}
