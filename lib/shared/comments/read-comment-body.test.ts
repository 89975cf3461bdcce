import { describe, expect, it } from "vitest";
import { type CommentBlock, type CommentBody } from "./comment-body";
import { sanitizeCommentBody } from "./sanitize-comment-body";
import { MAX_READ_DEPTH, readCommentBody } from "./read-comment-body";

const doc = (...content: unknown[]) => ({ type: "doc", content });
const p = (...content: unknown[]) => ({ type: "paragraph", content });
const text = (value: string, ...marks: unknown[]) =>
  marks.length > 0 ? { type: "text", text: value, marks } : { type: "text", text: value };
const link = (href: unknown) => ({ type: "link", attrs: { href } });
const typed = (...content: CommentBlock[]): CommentBody => ({ type: "doc", content });
const para = (value: string): CommentBlock => ({
  type: "paragraph",
  content: [{ type: "text", text: value }],
});

describe("readCommentBody", () => {
  it.each<[string, unknown, CommentBody]>([
    ["null", null, typed()],
    ["a string", "<p>hi</p>", typed()],
    ["a number", 42, typed()],
    ["an array", [p(text("hi"))], typed()],
    ["an object without content", { type: "doc" }, typed()],
    ["content that is not an array", { type: "doc", content: "<p>hi</p>" }, typed()],
    ["nodes that are not objects", doc("<p>hi</p>", null, 3, p(text("kept"))), typed(para("kept"))],
    [
      "a root of another type (read for its content)",
      { type: "weird", content: [p(text("hi"))] },
      typed(para("hi")),
    ],
  ])("reads %s as what it can", (_name, input, expected) => {
    expect(readCommentBody(input)).toEqual(expected);
  });

  it.each<[string, unknown, CommentBody]>([
    [
      "an unknown block, as a paragraph of its text",
      doc({ type: "heading", content: [text("Title")] }),
      typed(para("Title")),
    ],
    ["raw HTML, as its text", doc({ type: "rawHtml", content: [text("<iframe>")] }), typed(para("<iframe>"))],
    [
      "an unknown block without text, as an empty paragraph",
      doc({ type: "image" }),
      typed({ type: "paragraph" }),
    ],
    ["text at block level, as a paragraph", doc(text("loose")), typed(para("loose"))],
    [
      "a list item outside a list, as its text",
      doc({ type: "listItem", content: [p(text("a"))] }),
      typed(para("a")),
    ],
    [
      "an unknown inline, as a plain run",
      doc(p(text("a "), { type: "mention", content: [text("@ana")] })),
      typed({
        type: "paragraph",
        content: [
          { type: "text", text: "a " },
          { type: "text", text: "@ana" },
        ],
      }),
    ],
    [
      "a text node without a string, as its (empty) text: dropped",
      doc(p({ type: "text", text: 3 }, text("b"))),
      typed(para("b")),
    ],
    ["empty text runs, dropped", doc(p(text(""), text("b"))), typed(para("b"))],
    [
      "line breaks inside an unknown block, as newlines",
      doc({ type: "callout", content: [text("a"), { type: "hardBreak" }, text("b")] }),
      typed(para("a\nb")),
    ],
    [
      "a list whose children are not items, as items of their text",
      doc({ type: "bulletList", content: [p(text("x"))] }),
      typed({ type: "bulletList", content: [{ type: "listItem", content: [para("x")] }] }),
    ],
  ])("reads %s", (_name, input, expected) => {
    expect(readCommentBody(input)).toEqual(expected);
  });

  it.each<[string, unknown, string | null]>([
    ["https", "https://example.org/a", "https://example.org/a"],
    ["http", "http://example.org", "http://example.org"],
    ["mailto", "mailto:ana@example.org", "mailto:ana@example.org"],
    ["javascript:", "javascript:alert(1)", null],
    ["javascript: behind a space and mixed case", " JaVaScRiPt:alert(2)", null],
    ["javascript: split by a tab", "java\tscript:alert(1)", null],
    ["data:", "data:text/html,<script>alert(1)</script>", null],
    ["a relative href", "/seminars/1", null],
    ["a number", 7, null],
    ["no href at all", undefined, null],
  ])("keeps a link to %s only when it is safe", (_name, href, kept) => {
    const read = readCommentBody(doc(p(text("here", link(href), { type: "bold" }))));
    expect(read).toEqual(
      typed({
        type: "paragraph",
        content: [
          {
            type: "text",
            text: "here",
            marks:
              kept === null
                ? [{ type: "bold" }]
                : [{ type: "link", attrs: { href: kept } }, { type: "bold" }],
          },
        ],
      }),
    );
  });

  it.each<[string, unknown[], unknown]>([
    [
      "bold, italic and a link, in the order link, bold, italic",
      [{ type: "italic" }, { type: "bold" }, link("https://a.example")],
      [{ type: "link", attrs: { href: "https://a.example" } }, { type: "bold" }, { type: "italic" }],
    ],
    ["unknown marks, dropped", [{ type: "underline" }, { type: "code" }], undefined],
    ["repeated marks, once", [{ type: "bold" }, { type: "bold" }], [{ type: "bold" }]],
    ["marks that are not objects, dropped", ["bold", null], undefined],
  ])("reads marks: %s", (_name, marks, expected) => {
    const node = readCommentBody(doc(p({ type: "text", text: "x", marks }))).content[0];
    expect(node).toEqual({
      type: "paragraph",
      content: [expected ? { type: "text", text: "x", marks: expected } : { type: "text", text: "x" }],
    });
  });

  it.each<[string, unknown, { start: number } | undefined]>([
    ["3", 3, { start: 3 }],
    ["0", 0, { start: 0 }],
    ["1 (the default)", 1, undefined],
    ["a negative number", -2, undefined],
    ["a fraction", 2.5, undefined],
    ["a string", "4", undefined],
  ])("reads an ordered list starting at %s", (_name, start, attrs) => {
    const list = readCommentBody(
      doc({
        type: "orderedList",
        attrs: { start },
        content: [{ type: "listItem", content: [p(text("a"))] }],
      }),
    ).content[0];
    expect(list).toEqual({
      type: "orderedList",
      ...(attrs ? { attrs } : {}),
      content: [{ type: "listItem", content: [para("a")] }],
    });
  });

  it("flattens nesting deeper than its cap to text, without exhausting the stack", () => {
    let node: unknown = p(text("deep"));
    for (let i = 0; i < 100_000; i++) node = { type: "blockquote", content: [node] };
    const read = readCommentBody(doc(node));
    let depth = 0;
    let block = read.content[0] as CommentBlock;
    while (block.type === "blockquote") {
      depth += 1;
      block = block.content[0] as CommentBlock;
    }
    expect(depth).toBe(MAX_READ_DEPTH);
    // The text beyond the cap is itself too deep to reach: what is left is an empty paragraph.
    expect(block).toEqual({ type: "paragraph" });
  });

  it("keeps the text of a block just past the cap", () => {
    let node: unknown = p(text("deep"));
    for (let i = 0; i < MAX_READ_DEPTH; i++) node = { type: "blockquote", content: [node] };
    let block = readCommentBody(doc(node)).content[0] as CommentBlock;
    while (block.type === "blockquote") block = block.content[0] as CommentBlock;
    expect(block).toEqual(para("deep"));
  });

  it.each([
    [
      "a paragraph with marks and breaks",
      doc(
        p(
          text("a", link("https://x.example"), { type: "italic" }),
          { type: "hardBreak" },
          text("b", { type: "bold" }),
        ),
      ),
    ],
    [
      "nested lists and quotes",
      doc({
        type: "blockquote",
        content: [
          p(text("q")),
          {
            type: "bulletList",
            content: [
              {
                type: "listItem",
                content: [
                  p(text("i")),
                  {
                    type: "orderedList",
                    attrs: { start: 4 },
                    content: [{ type: "listItem", content: [p(text("j"))] }],
                  },
                ],
              },
            ],
          },
        ],
      }),
    ],
    ["empty paragraphs between others", doc(p(text("a")), { type: "paragraph" }, p(text("b")))],
  ])("returns a sanitized body (%s) as it is", (_name, input) => {
    const { body } = sanitizeCommentBody(input);
    expect(readCommentBody(body)).toEqual(body);
    // Not a copy: a body already as the reader makes it is returned itself.
    expect(readCommentBody(body)).toBe(body);
  });
});

describe("readCommentBody's shortcut for bodies already read", () => {
  /** Every kind of node the reader keeps, each once or more. */
  const rich = () =>
    doc(
      p(
        text("plain"),
        text("linked", link("https://x.example/a?b=c")),
        text("all", link("mailto:ana@example.com"), { type: "bold" }, { type: "italic" }),
        text("bold", { type: "bold" }),
        { type: "hardBreak" },
        { type: "mention", attrs: { id: "user_1", label: "Ana Lima" } },
        { type: "tag", attrs: { name: "close-reading" } },
      ),
      { type: "paragraph" },
      {
        type: "blockquote",
        content: [
          p(text("q")),
          {
            type: "bulletList",
            content: [
              {
                type: "listItem",
                content: [p(text("i")), { type: "orderedList", attrs: { start: 0 }, content: [] }],
              },
              { type: "listItem", content: [] },
            ],
          },
        ],
      },
      { type: "orderedList", attrs: { start: 3 }, content: [{ type: "listItem", content: [p(text("j"))] }] },
      {
        type: "orderedList",
        content: [{ type: "listItem", content: [{ type: "blockquote", content: [] }] }],
      },
    );

  /** The reader without its shortcut: a root with one more key is never "already read". */
  const readTheLongWay = (value: object) => readCommentBody({ ...value, notAlreadyRead: true });

  /** Every object and array inside `root`, with the path to it. */
  function* nodesOf(
    value: unknown,
    path: (string | number)[] = [],
  ): Generator<[unknown, (string | number)[]]> {
    if (typeof value !== "object" || value === null) return;
    yield [value, path];
    for (const [key, child] of Object.entries(value))
      yield* nodesOf(child, [...path, Array.isArray(value) ? Number(key) : key]);
  }

  /** `rich()` with the node at `path` replaced by `change(node)`. */
  function changedAt(path: (string | number)[], change: (node: unknown) => unknown): unknown {
    const root = rich();
    if (path.length === 0) return change(root);
    let parent: Record<string | number, unknown> = root;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = path.at(-1) as string | number;
    parent[last] = change(parent[last]);
    return root;
  }

  /** A change to one node: `ifArray` for an array, `ifObject` for an object. */
  const change =
    (ifArray: (array: unknown[]) => unknown, ifObject: (node: object) => unknown) =>
    (node: unknown): unknown =>
      Array.isArray(node) ? ifArray(node as unknown[]) : ifObject(node as object);
  const objectsOnly = (ifObject: (node: object) => unknown) => change((array) => array, ifObject);

  /** Small changes to one node: each may or may not change what the reader makes of the body. */
  const CHANGES: [string, (node: unknown) => unknown][] = [
    [
      "one more key",
      change(
        (array) => [...array, { type: "hardBreak" }],
        (node) => ({ ...node, extra: 1 }),
      ),
    ],
    [
      "a key set to undefined",
      change(
        (array) => [...array, undefined],
        (node) => ({ ...node, attrs: undefined }),
      ),
    ],
    [
      "emptied",
      change(
        () => [],
        () => ({}),
      ),
    ],
    [
      "reversed",
      change(
        (array) => [...array].reverse(),
        (node) => Object.fromEntries(Object.entries(node).reverse()),
      ),
    ],
    [
      "doubled",
      change(
        (array) => [...array, ...array],
        (node) => node,
      ),
    ],
    [
      "with a hole",
      change(
        (array) => {
          // Index 0 left unset: a hole, which JSON cannot make but a caller's array can hold.
          const holed = new Array<unknown>(array.length + 1);
          array.forEach((element, index) => (holed[index + 1] = element));
          return holed;
        },
        (node) => node,
      ),
    ],
    ["null instead", () => null],
    ["a string instead", () => "<p>x</p>"],
    ["a class instance", objectsOnly((node) => Object.assign(new (class Node {})(), node))],
    ...[
      "doc",
      "paragraph",
      "blockquote",
      "bulletList",
      "orderedList",
      "listItem",
      "text",
      "hardBreak",
      "mention",
      "tag",
      "link",
      "bold",
      "italic",
      "heading",
    ].map((type): [string, (node: unknown) => unknown] => [
      `as type ${type}`,
      objectsOnly((node) => ({ ...node, type })),
    ]),
    ["text emptied", objectsOnly((node) => ({ ...node, text: "" }))],
    ["text as a number", objectsOnly((node) => ({ ...node, text: 7 }))],
    ["start 1", objectsOnly((node) => ({ ...node, start: 1 }))],
    ["start -2", objectsOnly((node) => ({ ...node, start: -2 }))],
    ["href unsafe", objectsOnly((node) => ({ ...node, href: "javascript:alert(1)" }))],
    ["label padded", objectsOnly((node) => ({ ...node, label: " Ana " }))],
    ["name upper-cased", objectsOnly((node) => ({ ...node, name: "#Close" }))],
  ];

  it("returns the body itself only where the reader would make an equal one, over every small change to every node", () => {
    const body = rich();
    expect(readCommentBody(body)).toBe(body);
    let kept = 0;
    let copied = 0;
    for (const [, path] of nodesOf(body)) {
      for (const [name, changeOf] of CHANGES) {
        const input = changedAt(path, changeOf);
        const read = readCommentBody(input);
        const expected =
          typeof input === "object" && input !== null ? readTheLongWay(input) : readCommentBody(undefined);
        expect(read, `${name} at ${path.join(".") || "the root"}`).toStrictEqual(expected);
        if (read === input) kept++;
        else copied++;
      }
    }
    // Both ways were taken, many times each.
    expect(kept).toBeGreaterThan(20);
    expect(copied).toBeGreaterThan(200);
  });

  it("recognises whatever it has read: reading twice returns the first reading itself", () => {
    for (const [, path] of nodesOf(rich())) {
      for (const [, changeOf] of CHANGES) {
        const first = readCommentBody(changedAt(path, changeOf));
        expect(readCommentBody(first)).toBe(first);
      }
    }
  });
});
