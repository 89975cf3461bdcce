/**
 * ProseMirror positions ⇄ Yjs relative positions, computed on the text
 * room's `Y.XmlFragment` itself, so the server and tests need no editor.
 *
 * The tree is the one `@tiptap/y-tiptap` binds (docs/architecture.md §2, §3):
 * - each ProseMirror node is a `Y.XmlElement` named after its type; it counts
 *   2 + its content, or 1 when its type is a leaf (our `footnoteReference`
 *   atom is an empty element but counts as size 1);
 * - each run of adjacent text nodes is one `Y.XmlText` (marks are formatting
 *   attributes, which take no room); two runs can sit side by side after
 *   concurrent edits;
 * - an element whose name the schema does not know is dropped by the
 *   binding when it renders, so it counts 0 here.
 *
 * A position binds to the content beside it, on the side its `assoc` names:
 * `assoc >= 0` binds to the character or node on its right, `assoc < 0` to
 * the one on its left. Inside text that is a character of the `Y.XmlText`;
 * next to a node it is the node's item in its parent's list. A deleted
 * neighbour still resolves (to where it was); a deleted container does not.
 */
import type { Schema } from "@tiptap/pm/model";
import * as Y from "yjs";
import { getReadingSchema } from "../schema/reading-schema";

/** Positions of one document state, both ways (walks the tree once; rebuild after every change). */
export type PositionMapper = {
  /** The ProseMirror size of the document's content (`doc.content.size`). */
  readonly size: number;
  /** The relative position of a ProseMirror position; throws a RangeError outside 0…size. */
  toRelative(pos: number, assoc: number): Y.RelativePosition;
  /** The ProseMirror position of a relative position; null when it lies in deleted or foreign content. */
  toPmPos(relPos: Y.RelativePosition): number | null;
  /** {@link PositionMapper.toPmPos}, telling also whether the character or node it bound to is deleted. */
  locate(relPos: Y.RelativePosition): LocatedPosition | null;
};

/** Where a relative position lies now. */
export type LocatedPosition = {
  /** The ProseMirror position. */
  pos: number;
  /**
   * True when the character or node the position bound to was deleted: the
   * position then stands where that content was, which after a replacement
   * (delete, then insert) is at the edge of the new content, not beside it.
   */
  isBoundContentDeleted: boolean;
};

/** The Yjs types the binding makes: the root fragment, elements and text runs. */
type TreeType = Y.XmlFragment | Y.XmlElement | Y.XmlText;

/** A child of a container that takes room in ProseMirror positions. */
type Child = {
  /** Its kind: text run, element with content, or leaf (atom). */
  kind: "text" | "element" | "leaf";
  /** The Yjs type (a `Y.XmlText` or a `Y.XmlElement`). */
  type: TreeType;
  /** Its index among its parent's live children. */
  yIndex: number;
  /** ProseMirror position before it. */
  start: number;
  /** ProseMirror size. */
  size: number;
};

/** What the walk records for each live type in the fragment. */
type TypeInfo = {
  /** True for a `Y.XmlText` (indexes count characters), false for a container (indexes count children). */
  isText: boolean;
  /** Live countable items, in order, and the live index each starts at. */
  items: Y.Item[];
  itemStarts: number[];
  /** Number of live indexes (characters or children). */
  length: number;
  /** Text: position of the first character. Container: position before each live child, then the content end. */
  start: number;
  boundaries: number[];
  /** Container: children that take room, in order (contiguous, none of size 0). */
  children: Child[];
};

/** Builds a mapper for the fragment's current state. */
export function createPositionMapper(
  doc: Y.Doc,
  fragment: Y.XmlFragment,
  schema: Schema = getReadingSchema(),
): PositionMapper {
  if (fragment.doc !== doc) throw new Error("The fragment does not belong to this Y.Doc.");
  const infos = new Map<TreeType, TypeInfo>();
  // Live index of each item (live or deleted) within its parent: a deleted
  // item resolves to where it was, as Yjs resolves it.
  const itemIndex = new Map<Y.Item, number>();
  const size = walk(fragment, schema, infos, itemIndex);
  const rootInfo = infos.get(fragment) as TypeInfo;

  const toRelative = (pos: number, assoc: number): Y.RelativePosition => {
    if (!Number.isInteger(pos) || pos < 0 || pos > size) {
      throw new RangeError(`Position ${pos} is outside the document (0…${size}).`);
    }
    let info = rootInfo;
    let type: TreeType = fragment;
    for (;;) {
      const { children } = info;
      const k = lastIndexAtOrBefore(children, pos);
      const child = k >= 0 ? children[k] : undefined;
      if (child && pos > child.start && pos < child.start + child.size) {
        if (child.kind === "text") return relativeAt(child.type, infos, pos - child.start, assoc);
        // A non-leaf element (a leaf has no inside): go down into it.
        type = child.type;
        info = infos.get(type) as TypeInfo;
        continue;
      }
      // Between children (or at the content's edges).
      const right = child && child.start === pos ? child : undefined;
      const leftCandidate = right ? children[k - 1] : child;
      const left =
        leftCandidate && leftCandidate.start + leftCandidate.size === pos ? leftCandidate : undefined;
      if (assoc >= 0) {
        if (right?.kind === "text") return relativeAt(right.type, infos, 0, assoc);
        return relativeAt(type, infos, right ? right.yIndex : info.length, assoc);
      }
      if (left?.kind === "text") return relativeAt(left.type, infos, left.size, assoc);
      return relativeAt(type, infos, left ? left.yIndex + 1 : 0, assoc);
    }
  };

  const locate = (relPos: Y.RelativePosition): LocatedPosition | null => {
    try {
      const found = findTypeIndex(doc, fragment, relPos, infos, itemIndex);
      if (!found) return null;
      const { info, index, isBoundContentDeleted } = found;
      const clamped = Math.min(Math.max(index, 0), info.length);
      const pos = info.isText ? info.start + clamped : info.boundaries[clamped];
      return pos === undefined ? null : { pos, isBoundContentDeleted };
    } catch {
      // A hostile or foreign position (unknown client, impossible clock): not ours.
      return null;
    }
  };

  const toPmPos = (relPos: Y.RelativePosition): number | null => locate(relPos)?.pos ?? null;

  return { size, toRelative, toPmPos, locate };
}

/** The relative position of a ProseMirror position in the fragment's current state. */
export function pmPosToRelative(
  fragment: Y.XmlFragment,
  pos: number,
  assoc: number,
  schema?: Schema,
): Y.RelativePosition {
  const doc = fragment.doc;
  if (!doc) throw new Error("The fragment is not part of a Y.Doc yet.");
  return createPositionMapper(doc, fragment, schema).toRelative(pos, assoc);
}

/** The ProseMirror position of a relative position; null when its content was deleted or is not in the fragment. */
export function relativeToPmPos(
  doc: Y.Doc,
  fragment: Y.XmlFragment,
  relPos: Y.RelativePosition,
  schema?: Schema,
): number | null {
  return createPositionMapper(doc, fragment, schema).toPmPos(relPos);
}

/**
 * Walks the fragment depth-first with an explicit stack (a hostile update can
 * nest elements deeper than the call stack goes), recording every live type's
 * positions. Returns the content size.
 */
function walk(
  fragment: Y.XmlFragment,
  schema: Schema,
  infos: Map<TreeType, TypeInfo>,
  itemIndex: Map<Y.Item, number>,
): number {
  type Frame = { info: TypeInfo; next: Y.Item | null; child: Child | null };
  const newContainer = (start: number): TypeInfo => ({
    isText: false,
    items: [],
    itemStarts: [],
    length: 0,
    start,
    boundaries: [],
    children: [],
  });
  let pos = 0;
  const rootInfo = newContainer(0);
  infos.set(fragment, rootInfo);
  const stack: Frame[] = [{ info: rootInfo, next: fragment._start, child: null }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const item = frame.next;
    const { info } = frame;
    if (item === null) {
      info.boundaries.push(pos);
      stack.pop();
      if (frame.child) {
        pos += 1; // the closing token
        frame.child.size = pos - frame.child.start;
      }
      continue;
    }
    frame.next = item.right;
    itemIndex.set(item, info.length);
    if (item.deleted || !item.countable) continue;
    info.items.push(item);
    info.itemStarts.push(info.length);
    const yIndex = info.length;
    for (let i = 0; i < item.length; i++) info.boundaries.push(pos);
    info.length += item.length;
    const content = item.content;
    if (!(content instanceof Y.ContentType)) continue; // not something the binding renders
    const type: unknown = content.type;
    if (type instanceof Y.XmlText) {
      const start = pos;
      pos += walkText(type, start, infos, itemIndex);
      if (pos > start) info.children.push({ kind: "text", type, yIndex, start, size: pos - start });
    } else if (type instanceof Y.XmlElement) {
      const nodeType = schema.nodes[type.nodeName];
      if (!nodeType) continue;
      if (nodeType.isLeaf) {
        info.children.push({ kind: "leaf", type, yIndex, start: pos, size: 1 });
        pos += 1;
        continue;
      }
      const child: Child = { kind: "element", type, yIndex, start: pos, size: 0 };
      info.children.push(child);
      pos += 1; // the opening token
      const childInfo = newContainer(pos);
      infos.set(type, childInfo);
      stack.push({ info: childInfo, next: type._start, child });
    }
  }
  return pos;
}

/** Records a text run's characters; returns its length. */
function walkText(
  text: Y.XmlText,
  start: number,
  infos: Map<TreeType, TypeInfo>,
  itemIndex: Map<Y.Item, number>,
): number {
  const info: TypeInfo = {
    isText: true,
    items: [],
    itemStarts: [],
    length: 0,
    start,
    boundaries: [],
    children: [],
  };
  for (let item = text._start; item !== null; item = item.right) {
    itemIndex.set(item, info.length);
    // Formatting items (marks) are not countable: they take no room.
    if (item.deleted || !item.countable) continue;
    info.items.push(item);
    info.itemStarts.push(info.length);
    info.length += item.length;
  }
  infos.set(text, info);
  return info.length;
}

/** The index of the last child starting at or before `pos`, or -1. */
function lastIndexAtOrBefore(children: Child[], pos: number): number {
  let lo = 0;
  let hi = children.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((children[mid] as Child).start <= pos) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * `Y.createRelativePositionFromTypeIndex(type, index, assoc)`, answered from
 * the walk in O(log n) instead of by scanning the type's item list.
 */
function relativeAt(
  type: TreeType,
  infos: Map<TreeType, TypeInfo>,
  index: number,
  assoc: number,
): Y.RelativePosition {
  const info = infos.get(type) as TypeInfo;
  const typeId = type._item === null ? null : type._item.id;
  const tname = type._item === null ? Y.findRootTypeKey(type) : null;
  // A left-bound position refers to the character or node before it.
  let target = index;
  if (assoc < 0) {
    if (index === 0) return new Y.RelativePosition(typeId, tname, null, assoc);
    target -= 1;
  }
  const { items, itemStarts } = info;
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const itemStart = itemStarts[mid] as number;
    const item = items[mid] as Y.Item;
    if (target < itemStart) hi = mid - 1;
    else if (target >= itemStart + item.length) lo = mid + 1;
    else {
      const id = Y.createID(item.id.client, item.id.clock + (target - itemStart));
      return new Y.RelativePosition(typeId, tname, id, assoc);
    }
  }
  // Past the end: the end of the type.
  return new Y.RelativePosition(typeId, tname, null, assoc);
}

/**
 * `Y.createAbsolutePositionFromRelativePosition`, restricted to the live
 * types of the fragment and answered from the walk: the struct lookup is a
 * binary search, the index a map lookup.
 */
function findTypeIndex(
  doc: Y.Doc,
  fragment: Y.XmlFragment,
  relPos: Y.RelativePosition,
  infos: Map<TreeType, TypeInfo>,
  itemIndex: Map<Y.Item, number>,
): { info: TypeInfo; index: number; isBoundContentDeleted: boolean } | null {
  const assoc = typeof relPos.assoc === "number" ? relPos.assoc : 0;
  if (relPos.item) {
    const found = findItem(doc, relPos.item);
    if (!found) return null;
    const { item, diff } = found;
    const info = infos.get(item.parent as TreeType);
    const before = itemIndex.get(item);
    if (!info || before === undefined) return null;
    const offset = item.deleted || !item.countable ? 0 : diff + (assoc >= 0 ? 0 : 1);
    return { info, index: before + offset, isBoundContentDeleted: item.deleted };
  }
  let type: TreeType | undefined;
  if (relPos.type) {
    const found = findItem(doc, relPos.type);
    if (!found || !(found.item.content instanceof Y.ContentType)) return null;
    type = found.item.content.type as TreeType;
  } else if (typeof relPos.tname === "string") {
    const shared: unknown = doc.share.get(relPos.tname);
    if (shared !== fragment) return null;
    type = fragment;
  }
  const info = type && infos.get(type);
  if (!info) return null;
  return { info, index: assoc >= 0 ? info.length : 0, isBoundContentDeleted: false };
}

/**
 * The item holding an id, following redone items as Yjs does (an undo that
 * is redone recreates content under new ids); null for an id this document
 * has not seen or has garbage-collected.
 */
function findItem(doc: Y.Doc, id: Y.ID): { item: Y.Item; diff: number } | null {
  if (!isId(id)) return null;
  let nextId: Y.ID | null = id;
  let diff = 0;
  let struct: Y.Item | Y.GC;
  do {
    if (diff > 0) nextId = Y.createID(nextId.client, nextId.clock + diff);
    if (Y.getState(doc.store, nextId.client) <= nextId.clock) return null;
    // Typed as an Item, but a garbage-collected range comes back as a GC struct.
    struct = Y.getItem(doc.store, nextId);
    if (!(struct instanceof Y.Item)) return null;
    diff = nextId.clock - struct.id.clock;
    nextId = struct.redone;
  } while (nextId !== null);
  return { item: struct, diff };
}

function isId(id: unknown): id is Y.ID {
  if (typeof id !== "object" || id === null) return false;
  const { client, clock } = id as { client: unknown; clock: unknown };
  return Number.isSafeInteger(client) && Number.isSafeInteger(clock) && (clock as number) >= 0;
}
