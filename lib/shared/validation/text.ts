/**
 * Characters no text input may hold, and the checks that refuse them.
 *
 * PostgreSQL refuses U+0000 in `text` and `jsonb` (issue 9 §4: a NUL in a
 * display name was a 500), and a lone surrogate cannot be encoded as UTF-8 at
 * all: the driver would silently store U+FFFD instead, and `jsonb` refuses
 * its `\ud800` escape. Noncharacters (U+FFFE, U+FFFF, U+FDD0…U+FDEF and the
 * last two code points of every plane) are "permanently reserved for internal
 * use" (Unicode §23.7) and no keyboard types them. All three are refused with
 * a 400 naming the field and the code point, never stored and never mangled.
 * Other control characters (tab, line breaks, and the rest of C0) are valid
 * Unicode that PostgreSQL stores as they are, so they are left to each
 * field's own rules.
 */
import "./zod-in-browsers";
import { z } from "zod";

/** Why a character is refused. */
export type DisallowedKind = "null" | "surrogate" | "noncharacter";

/** The first refused character of a string. */
export type DisallowedCharacter = {
  /** Its index in UTF-16 code units. */
  index: number;
  /** Its code point, e.g. "U+0000". */
  codePoint: string;
  /** Which rule refuses it. */
  kind: DisallowedKind;
};

// With the `u` flag a lone surrogate is one code point of its own and matches
// \p{Cs}; a well-formed pair is one astral code point and does not.
const DISALLOWED = /[\0\p{Cs}\p{Noncharacter_Code_Point}]/u;

const KIND_WORDS: Record<DisallowedKind, string> = {
  null: "a null character",
  surrogate: "half of a surrogate pair, which is not valid Unicode",
  noncharacter: "a Unicode noncharacter",
};

/** The first character of `value` that no text input may hold, or null. */
export function findDisallowedCharacter(value: string): DisallowedCharacter | null {
  const match = DISALLOWED.exec(value);
  if (!match) return null;
  const code = match[0].codePointAt(0) as number;
  const kind: DisallowedKind =
    code === 0 ? "null" : code >= 0xd800 && code <= 0xdfff ? "surrogate" : "noncharacter";
  return { index: match.index, codePoint: formatCodePoint(code), kind };
}

/** "Display name contains a character that is not allowed (U+0000, a null character)." */
export function disallowedCharacterMessage(field: string, found: DisallowedCharacter): string {
  return `${field} contains a character that is not allowed (${found.codePoint}, ${KIND_WORDS[found.kind]}).`;
}

/** Where in a parsed JSON value (or any plain data) the first refused character lies. */
export type DisallowedTextAt = DisallowedCharacter & {
  /** Path to the string, e.g. "body.content.0.text"; a key path ends in the key itself. */
  path: string;
};

/**
 * Scans every string of a parsed JSON value, object keys included, for a
 * refused character. The route wrapper runs it on every body, parameter and
 * query string, so a schema that forgets {@link ZSafeText} still stores
 * nothing Postgres would refuse.
 */
export function findDisallowedText(value: unknown, path = ""): DisallowedTextAt | null {
  if (typeof value === "string") {
    const found = findDisallowedCharacter(value);
    return found ? { ...found, path } : null;
  }
  if (typeof value !== "object" || value === null) return null;
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value);
  for (const [key, item] of entries) {
    const at = path ? `${path}.${key}` : key;
    const inKey = findDisallowedCharacter(key);
    if (inKey) return { ...inKey, path: at };
    const inValue = findDisallowedText(item, at);
    if (inValue) return inValue;
  }
  return null;
}

/**
 * A string that holds no refused character; `field` names it in the message
 * ("Display name"). Every text field of every request schema starts here.
 */
export function ZSafeText(field: string) {
  return z.string().superRefine((value, context) => {
    const found = findDisallowedCharacter(value);
    if (found) context.addIssue({ code: "custom", message: disallowedCharacterMessage(field, found) });
  });
}

function formatCodePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Where a URL holds text that no input may hold, and what to say. */
export type DisallowedUrlText = {
  /** "path" for a path segment, else the query parameter's name. */
  part: string;
  /** A message naming the part and the character. */
  message: string;
};

/**
 * Checks every path segment and query parameter of a URL as it arrives,
 * still percent-encoded: a refused character once decoded, or bytes that are
 * not UTF-8 at all (which `URLSearchParams` would silently turn into U+FFFD).
 */
export function findDisallowedInUrl(url: URL): DisallowedUrlText | null {
  for (const segment of url.pathname.split("/")) {
    const problem = checkEncoded(segment, "The address");
    if (problem) return { part: "path", message: problem };
  }
  for (const pair of url.search.replace(/^\?/, "").split("&")) {
    if (!pair) continue;
    const equals = pair.indexOf("=");
    const rawKey = equals < 0 ? pair : pair.slice(0, equals);
    const rawValue = equals < 0 ? "" : pair.slice(equals + 1);
    const key = decodeComponent(rawKey);
    const label =
      key === null || findDisallowedCharacter(key)
        ? "A query parameter name"
        : `The query parameter “${key}”`;
    const problem = checkEncoded(rawKey, label) ?? checkEncoded(rawValue, label);
    if (problem) return { part: key ?? "", message: problem };
  }
  return null;
}

function checkEncoded(encoded: string, label: string): string | null {
  const decoded = decodeComponent(encoded);
  if (decoded === null) return `${label} is not valid UTF-8.`;
  const found = findDisallowedCharacter(decoded);
  return found ? disallowedCharacterMessage(label, found) : null;
}

/** A percent-encoded URL component (with + for space, as forms send it); null when it is not UTF-8. */
function decodeComponent(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, " "));
  } catch {
    return null;
  }
}
