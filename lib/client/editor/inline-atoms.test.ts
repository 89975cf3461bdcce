/**
 * The @mention and #tag nodes of the comment editor and the queries their pickers follow,
 * read from the schema and an editor state (no DOM): how each is written as HTML, read back
 * from pasted HTML, told as plain text, and what a `@…` or `#…` before the caret asks for.
 */
import { getSchema, type Editor } from "@tiptap/core";
import { Node as PMNode, type ParseRule, type TagParseRule } from "@tiptap/pm/model";
import { EditorState, TextSelection } from "@tiptap/pm/state";
import { describe, expect, it } from "vitest";
import { COMMENT_EXTENSIONS } from "./comment-extensions";
import { findMentionQuery } from "./mention";
import { findTagQuery } from "./tag";

const schema = getSchema(COMMENT_EXTENSIONS);

/** The node's HTML, as ProseMirror's DOM spec, without the null attributes ProseMirror leaves out. */
function domSpec(type: "mention" | "tag", attrs: Record<string, string>): unknown {
  const node = schema.nodes[type]!.create(attrs);
  const [tag, attributes, ...children] = schema.nodes[type]!.spec.toDOM!(node) as readonly unknown[];
  const written = Object.entries(attributes as Record<string, unknown>).filter(([, value]) => value !== null);
  return [tag, Object.fromEntries(written), ...children];
}

/** The attributes a parse rule of the node reads from an element with these attributes. */
function parsed(type: "mention" | "tag", attributes: Record<string, string>): unknown {
  const rules = (schema.nodes[type]!.spec.parseDOM ?? []) as readonly ParseRule[];
  const rule = rules[0] as TagParseRule;
  const element = { getAttribute: (name: string) => attributes[name] ?? null } as unknown as HTMLElement;
  return { tag: rule.tag, attrs: rule.getAttrs?.(element) };
}

/** The plain text of a paragraph holding the node. */
function plainText(type: "mention" | "tag", attrs: Record<string, string>): string {
  const doc = PMNode.fromJSON(schema, {
    type: "doc",
    content: [
      {
        type: "paragraph",
        content: [
          { type: "text", text: "a " },
          { type, attrs },
        ],
      },
    ],
  });
  const toText = schema.nodes[type]!.spec.toText as (props: { node: PMNode }) => string;
  return doc.textBetween(0, doc.content.size, "\n", (leaf) => toText({ node: leaf }));
}

/** An editor state with one paragraph of `before` and the caret after it (`editor.state` is all the queries read). */
function caretAfter(...content: unknown[]): Editor {
  const doc = PMNode.fromJSON(schema, { type: "doc", content: [{ type: "paragraph", content }] });
  const state = EditorState.create({ doc, selection: TextSelection.atEnd(doc) });
  return { state } as unknown as Editor;
}
const text = (value: string) => ({ type: "text", text: value });

describe("the mention node", () => {
  it("is written as a span with its id and label, shown as @label", () => {
    expect(domSpec("mention", { id: "u1", label: "Ana Ruiz" })).toEqual([
      "span",
      { class: "mention", "data-mention-id": "u1", "data-mention-label": "Ana Ruiz" },
      "@Ana Ruiz",
    ]);
  });

  it("is read back from such a span", () => {
    expect(parsed("mention", { "data-mention-id": "u1", "data-mention-label": "Ana Ruiz" })).toEqual({
      tag: "span[data-mention-id]",
      attrs: { id: "u1", label: "Ana Ruiz" },
    });
  });

  it("is @label in plain text", () => {
    expect(plainText("mention", { id: "u1", label: "Ana Ruiz" })).toBe("a @Ana Ruiz");
  });
});

describe("the tag node", () => {
  it("is written as a span with its name, shown as #name", () => {
    expect(domSpec("tag", { name: "exile" })).toEqual([
      "span",
      { class: "tag", "data-tag": "exile" },
      "#exile",
    ]);
  });

  it("is read back from such a span", () => {
    expect(parsed("tag", { "data-tag": "exile" })).toEqual({
      tag: "span[data-tag]",
      attrs: { name: "exile" },
    });
  });

  it("is #name in plain text", () => {
    expect(plainText("tag", { name: "exile" })).toBe("a #exile");
  });
});

describe("the query before the caret", () => {
  it.each<[string, unknown[], { from: number; to: number; query: string } | null]>([
    ["a bare @ at the start", [text("@")], { from: 1, to: 2, query: "" }],
    ["a name after a space", [text("ask @Ana R")], { from: 5, to: 11, query: "Ana R" }],
    ["no @ inside a word", [text("me@example")], null],
    ["not past a second space", [text("@Ana Ruiz and")], null],
    ["not after a mention node", [{ type: "mention", attrs: { id: "u1", label: "Ana" } }], null],
  ])("for @: %s", (_name, content, expected) => {
    expect(findMentionQuery(caretAfter(...content))).toEqual(expected);
  });

  it("for @: not longer than 40 characters", () => {
    expect(findMentionQuery(caretAfter(text(`@${"a".repeat(40)}`)))?.query).toHaveLength(40);
    expect(findMentionQuery(caretAfter(text(`@${"a".repeat(41)}`)))).toBeNull();
  });

  it.each<[string, unknown[], { from: number; to: number; query: string } | null]>([
    ["a bare # at the start", [text("#")], { from: 1, to: 2, query: "" }],
    ["a word after a space", [text("on #close-rea")], { from: 4, to: 14, query: "close-rea" }],
    ["no # inside a word", [text("C#")], null],
    ["not past a space", [text("#exile and")], null],
    ["not past punctuation", [text("#exile,")], null],
  ])("for #: %s", (_name, content, expected) => {
    expect(findTagQuery(caretAfter(...content))).toEqual(expected);
  });

  it("for #: not longer than a tag may be", () => {
    expect(findTagQuery(caretAfter(text(`#${"a".repeat(40)}`)))?.query).toHaveLength(40);
    expect(findTagQuery(caretAfter(text(`#${"a".repeat(41)}`)))).toBeNull();
  });

  it("none while text is selected", () => {
    const doc = PMNode.fromJSON(schema, {
      type: "doc",
      content: [{ type: "paragraph", content: [text("#ex")] }],
    });
    const state = EditorState.create({ doc, selection: TextSelection.create(doc, 1, 4) });
    expect(findTagQuery({ state } as unknown as Editor)).toBeNull();
    expect(findMentionQuery({ state } as unknown as Editor)).toBeNull();
  });
});
