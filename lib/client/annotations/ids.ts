/** A new id for an annotation or comment, made in the browser so retries are idempotent (the API accepts 16–40 of [a-z0-9]). */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `c${Array.from(bytes, (byte) => byte.toString(36).padStart(2, "0"))
    .join("")
    .slice(0, 24)}`;
}
