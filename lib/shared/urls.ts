/** A same-site path to return to after signing in, or "/" for anything else (no open redirects). */
export function safeCallbackUrl(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/";
  return value;
}

/** The sign-in page, returning to `path` afterwards. */
export function signInUrl(path: string): string {
  return `/signin?callbackUrl=${encodeURIComponent(path)}`;
}

const segment = encodeURIComponent;

/** A seminar's page. */
export function seminarPath(seminarId: string): string {
  return `/seminars/${segment(seminarId)}`;
}

/** The reading page of a document assigned to a seminar. */
export function readingPath(seminarId: string, documentId: string): string {
  return `${seminarPath(seminarId)}/readings/${segment(documentId)}`;
}

/** The review page of a reading (append a query string built by the review module). */
export function readingReviewPath(seminarId: string, documentId: string): string {
  return `${readingPath(seminarId, documentId)}/review`;
}

/** The export page of a reading. */
export function readingExportPath(seminarId: string, documentId: string): string {
  return `${readingPath(seminarId, documentId)}/export`;
}

/** The read-only view of a discussion snapshot. */
export function snapshotPath(seminarId: string, documentId: string, snapshotId: string): string {
  return `${readingPath(seminarId, documentId)}/snapshots/${segment(snapshotId)}`;
}

/** The reading page with one thread in focus. */
export function threadPath(seminarId: string, documentId: string, threadId: string): string {
  return `${readingPath(seminarId, documentId)}#thread-${segment(threadId)}`;
}

/**
 * The thread id in a `#thread-<id>` hash as {@link threadPath} writes it, or null. Here
 * rather than beside the review's query: the reading page reads it, and that module's
 * schemas would be built on the page's start for nothing.
 */
export function threadIdFromHash(hash: string): string | null {
  const match = /^#thread-([A-Za-z0-9_:-]{1,80})$/.exec(hash);
  return match ? (match[1] as string) : null;
}

/** The collab server's admission verdict (GET): what a websocket upgrade of this client would get now. */
export const COLLAB_ADMISSION_PATH = "/collab/admission";

/** The inbox. */
export const NOTIFICATIONS_PATH = "/notifications";

/** Notification settings. */
export const NOTIFICATION_SETTINGS_PATH = "/notifications/settings";

/** The page that turns one kind of notification off, for whoever holds the signed token. */
export function unsubscribePath(token: string): string {
  return `/unsubscribe?token=${encodeURIComponent(token)}`;
}

/** The "My texts" page: one's uploaded texts and uploads in preview. */
export function myTextsPath(): string {
  return "/my-texts";
}

/** The preview of an upload. */
export function uploadPreviewPath(uploadId: string): string {
  return `/uploads/${segment(uploadId)}`;
}
