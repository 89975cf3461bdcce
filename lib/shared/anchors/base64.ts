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

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Each character code's six bits, or -1 for a character outside the alphabet. */
const SEXTETS = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

function sextetAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (SEXTETS[code] as number) : -1;
}

/**
 * Base64 → bytes; null when the text is not strict padded base64 (what {@link BASE64_PATTERN}
 * accepts). Decoded by table rather than with `atob` and the pattern: a reading page resolves
 * two of these per anchor, 20,000 at 10,000 threads.
 */
export function decodeBase64(text: string): Uint8Array | null {
  if (typeof text !== "string" || text.length % 4 !== 0) return null;
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let out = 0;
  for (let i = 0; i < text.length; i += 4) {
    const isLast = i + 4 === text.length;
    const a = sextetAt(text, i);
    const b = sextetAt(text, i + 1);
    const c = isLast && padding === 2 ? 0 : sextetAt(text, i + 2);
    const d = isLast && padding > 0 ? 0 : sextetAt(text, i + 3);
    if ((a | b | c | d) < 0) return null;
    const bits = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[out++] = bits >> 16;
    if (out < bytes.length) bytes[out++] = (bits >> 8) & 255;
    if (out < bytes.length) bytes[out++] = bits & 255;
  }
  return bytes;
}
