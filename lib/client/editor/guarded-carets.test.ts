/**
 * The client's caret guard, fed malformed remote awareness states directly (the server's
 * filter would otherwise hide them): the real @tiptap/y-tiptap cursor plugin draws the
 * carets of a real Yjs document and a real y-protocols Awareness, no editor view needed.
 */
import { getExtensionField, getSchema, type AnyConfig } from "@tiptap/core";
import Document from "@tiptap/extension-document";
import Paragraph from "@tiptap/extension-paragraph";
import Text from "@tiptap/extension-text";
import { EditorState, type Plugin } from "@tiptap/pm/state";
import type { DecorationSet } from "@tiptap/pm/view";
import {
  absolutePositionToRelativePosition,
  createDecorations,
  defaultAwarenessStateFilter,
  defaultCursorBuilder,
  defaultSelectionBuilder,
  initProseMirrorDoc,
  prosemirrorJSONToYXmlFragment,
  yCursorPluginKey,
  ySyncPlugin,
} from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { isRenderableCaretState } from "@/lib/shared/awareness-shape";
import { GuardedCollaborationCaret, shouldRenderCaret } from "./guarded-carets";

const schema = getSchema([Document, Paragraph, Text]);
const USER = { id: "u1", name: "Ada", color: "#2d6a8e", role: "student" };

/** States a hostile or buggy client can publish, each of which the page must survive. */
const MALFORMED: [string, Record<string, unknown>][] = [
  ["a string cursor", { user: USER, cursor: "<string>" }],
  ["a number cursor", { user: USER, cursor: 42 }],
  ["an array cursor", { user: USER, cursor: [1, 2] }],
  ["a cursor without head", { user: USER, cursor: { anchor: { tname: "text", assoc: 0 } } }],
  ["a null anchor", { user: USER, cursor: { anchor: null, head: { tname: "text", assoc: 0 } } }],
  ["a string anchor", { user: USER, cursor: { anchor: "0", head: "1" } }],
  ["an anchor with a string item", { user: USER, cursor: { anchor: { item: "x" }, head: { item: "x" } } }],
  ["an anchor with an empty item", { user: USER, cursor: { anchor: { item: {} }, head: { item: {} } } }],
  ["an anchor with no position", { user: USER, cursor: { anchor: { assoc: 0 }, head: { assoc: 0 } } }],
  ["a string user", { user: "Ada", cursor: null }],
  ["a user with an object name", { user: { ...USER, name: { toString: 1 } }, cursor: null }],
];

/** A room's text as the reading page holds it, with a reader's awareness beside it. */
function setUp() {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment("text");
  prosemirrorJSONToYXmlFragment(
    schema,
    { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Call me Ishmael." }] }] },
    fragment,
  );
  const { doc: pmDoc, mapping } = initProseMirrorDoc(fragment, schema);
  const state = EditorState.create({ schema, doc: pmDoc, plugins: [ySyncPlugin(fragment, { mapping })] });
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState({ user: { name: "Me", color: "#8a3b12" } });
  /** Publishes `remoteState` as another client would, through a real awareness update. */
  const receive = (clientId: number, remoteState: unknown) => {
    const remoteDoc = new Y.Doc();
    remoteDoc.clientID = clientId;
    // Its first state (clock 0, set by the constructor) is replaced: this one has clock 1.
    const remote = new awarenessProtocol.Awareness(remoteDoc);
    remote.setLocalState(remoteState as Record<string, unknown>);
    awarenessProtocol.applyAwarenessUpdate(
      awareness,
      awarenessProtocol.encodeAwarenessUpdate(remote, [clientId]),
      "remote",
    );
    remote.destroy();
  };
  /** A well-formed caret over characters 1–5 of the paragraph, as y-tiptap publishes it. */
  const goodCursor = () => ({
    anchor: Y.relativePositionToJSON(
      absolutePositionToRelativePosition(1, fragment, mapping as never) as Y.RelativePosition,
    ) as unknown,
    head: Y.relativePositionToJSON(
      absolutePositionToRelativePosition(5, fragment, mapping as never) as Y.RelativePosition,
    ) as unknown,
  });
  return { doc, state, awareness, receive, goodCursor };
}

function decorate(
  setup: ReturnType<typeof setUp>,
  filter: (own: number, clientId: number, state: unknown) => boolean,
): DecorationSet {
  return createDecorations(
    setup.state,
    setup.awareness,
    filter,
    defaultCursorBuilder,
    defaultSelectionBuilder,
  ) as DecorationSet;
}

describe("the caret guard", () => {
  it("draws a well-formed remote caret", () => {
    const setup = setUp();
    setup.receive(101, { user: USER, cursor: setup.goodCursor() });
    expect(isRenderableCaretState(setup.awareness.getStates().get(101))).toBe(true);
    expect(decorate(setup, shouldRenderCaret).find().length).toBe(2);
  });

  it("is needed: the unguarded caret renderer throws on a string cursor", () => {
    const setup = setUp();
    setup.receive(102, { user: USER, cursor: "<string>" });
    expect(() => decorate(setup, defaultAwarenessStateFilter)).toThrow();
  });

  it.each(MALFORMED)("skips %s and still draws the others", (_what, malformed) => {
    const setup = setUp();
    setup.receive(101, { user: USER, cursor: setup.goodCursor() });
    setup.receive(103, malformed);
    expect(shouldRenderCaret(setup.doc.clientID, 103, setup.awareness.getStates().get(103))).toBe(false);
    const decorations = decorate(setup, shouldRenderCaret);
    // The good reader's caret and selection, nothing of the malformed one.
    expect(decorations.find().length).toBe(2);
  });

  it("is the filter of the editor extension's cursor plugin", () => {
    const setup = setUp();
    setup.receive(101, { user: USER, cursor: setup.goodCursor() });
    setup.receive(104, { user: USER, cursor: "<string>" });
    const extension = GuardedCollaborationCaret.configure({
      provider: { awareness: setup.awareness },
      user: { name: "Me", color: "#8a3b12" },
    });
    const addPlugins = getExtensionField<AnyConfig["addProseMirrorPlugins"]>(
      extension,
      "addProseMirrorPlugins",
      // No editor view: the plugins are built, then run in a bare EditorState.
      {
        name: extension.name,
        options: extension.options,
        storage: { users: [] },
        editor: null as never,
        type: null,
      },
    );
    const plugins = addPlugins?.() as Plugin[];
    const state = EditorState.create({
      schema,
      doc: setup.state.doc,
      plugins: [...setup.state.plugins, ...plugins],
    });
    const decorations = yCursorPluginKey.getState(state) as DecorationSet;
    expect(decorations.find().length).toBe(2);
  });
});
