/**
 * Standard base64 (RFC 4648 §4, padded) for the small binary values anchors
 * carry. `btoa`/`atob` exist in browsers and in Node ≥ 16, so this runs on
 * both sides without Node's Buffer.
 */

/** Strict padded base64: what {@link encodeBase64} writes. */
export const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Bytes → base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  // Chunks keep String.fromCharCode's argument list short for large inputs.
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Base64 → bytes; null when the text is not strict padded base64. */
export function decodeBase64(text: string): Uint8Array | null {
  if (typeof text !== "string" || !BASE64_PATTERN.test(text)) return null;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
