/**
 * The shape of an awareness state that readers' pages can render (docs/architecture.md §6).
 *
 * The caret renderer (@tiptap/y-tiptap's cursor plugin) reads `cursor.anchor` and
 * `cursor.head` of every remote state and hands them to Y.createRelativePositionFromJSON,
 * which throws on anything but an object: one client publishing `cursor: "x"` would take
 * down every other reader's page. The server keeps only fields of this shape
 * (server/collab/awareness-filter.ts) and the client skips states that do not match it
 * (lib/client/editor/guarded-carets.ts), so neither side alone has to be right.
 */

/** Longest root type name a relative position may name (the app's are a few letters). */
const MAX_TYPE_NAME_LENGTH = 64;

/** A Yjs ID `{ client, clock }`: two non-negative safe integers. */
function isYjsId(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 2) return false;
  const { client, clock } = value as { client?: unknown; clock?: unknown };
  return isCount(client) && isCount(clock);
}

function isCount(value: unknown): boolean {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * A JSON-encoded Yjs relative position (Y.relativePositionToJSON): only the keys `type`,
 * `tname`, `item` (each may be absent or null) and `assoc` (an integer), with at least one of
 * `type`, `tname`, `item` set.
 */
export function isRelativePositionJson(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const position = value as Record<string, unknown>;
  for (const key of Object.keys(position)) {
    if (key !== "type" && key !== "tname" && key !== "item" && key !== "assoc") return false;
  }
  const { type, tname, item, assoc } = position;
  if (type != null && !isYjsId(type)) return false;
  if (item != null && !isYjsId(item)) return false;
  if (
    tname != null &&
    (typeof tname !== "string" || tname.length === 0 || tname.length > MAX_TYPE_NAME_LENGTH)
  )
    return false;
  if (assoc != null && !(typeof assoc === "number" && Number.isSafeInteger(assoc))) return false;
  return type != null || tname != null || item != null;
}

/** `null` (no caret), or `{ anchor, head }` with both relative positions. */
export function isCaretCursor(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 2) return false;
  const { anchor, head } = value as { anchor?: unknown; head?: unknown };
  return isRelativePositionJson(anchor) && isRelativePositionJson(head);
}

/** The `user` the server writes: `{ id, name, color, role }` of strings (role may be null). */
export function isAwarenessUser(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { id, name, color, role } = value as Record<string, unknown>;
  return (
    typeof id === "string" &&
    typeof name === "string" &&
    typeof color === "string" &&
    /^#[0-9a-fA-F]{6}$/.test(color) &&
    (role === null || role === undefined || typeof role === "string")
  );
}

/**
 * The fields of a client's state the server passes on: `cursor` when it has the caret shape.
 * Everything else (unknown fields, a malformed cursor) is dropped; `user` is the server's to write.
 */
export function keepKnownAwarenessFields(state: Record<string, unknown>): Record<string, unknown> {
  return "cursor" in state && isCaretCursor(state.cursor) ? { cursor: state.cursor } : {};
}

/** Whether a remote state is safe to hand to the caret renderer. */
export function isRenderableCaretState(state: unknown): boolean {
  if (typeof state !== "object" || state === null || Array.isArray(state)) return false;
  const { user, cursor } = state as { user?: unknown; cursor?: unknown };
  return isAwarenessUser(user) && (cursor === undefined || isCaretCursor(cursor));
}
