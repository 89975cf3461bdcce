import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../errors";
import {
  COMMENT_BODY_LIMITS,
  COMMENT_BODY_MESSAGES as M,
  commentBodyToText,
  textToCommentBody,
  unknownMarkMessage,
  unknownNodeMessage,
  type CommentBlock,
  type CommentBody,
  type CommentInline,
} from "./comment-body";
import { ZCommentBodyInput, sanitizeCommentBody } from "./sanitize-comment-body";

const t = (text: string, ...marks: NonNullable<Extract<CommentInline, { type: "text" }>["marks"]>) =>
  marks.length > 0 ? { type: "text" as const, text, marks } : { type: "text" as const, text };
const p = (...content: CommentInline[]): CommentBlock =>
  content.length > 0 ? { type: "paragraph", content } : { type: "paragraph" };
const doc = (...content: unknown[]) => ({ type: "doc", content });
const br = { type: "hardBreak" } as const;
const bold = { type: "bold" } as const;
const italic = { type: "italic" } as const;
const link = (href: string) => ({ type: "link" as const, attrs: { href } });
const item = (...content: CommentBlock[]) => ({ type: "listItem" as const, content });
const bullets = (...items: ReturnType<typeof item>[]): CommentBlock => ({
  type: "bulletList",
  content: items,
});
const quote = (...content: CommentBlock[]): CommentBlock => ({ type: "blockquote", content });

/** `depth` quotes inside one another around a paragraph. */
function nestedQuotes(depth: number): CommentBlock {
  let block: CommentBlock = p(t("deep"));
  for (let level = 0; level < depth; level++) block = quote(block);
  return block;
}

/** The AppError `run` throws; fails the test when it throws anything else or nothing. */
function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

describe("sanitizeCommentBody: accepted bodies", () => {
  const accepted: [name: string, body: CommentBody, text: string][] = [
    ["one paragraph", { type: "doc", content: [p(t("Hello"))] }, "Hello"],
    [
      "bold, italic and both",
      { type: "doc", content: [p(t("a", bold), t(" b ", italic), t("c", bold, italic))] },
      "a b c",
    ],
    [
      "http, https and mailto links, with formatting inside",
      {
        type: "doc",
        content: [
          p(
            t("site", link("https://example.org/a?b=1#c")),
            t(" "),
            t("old", link("http://example.org"), italic),
            t(" "),
            t("me", link("mailto:someone@example.org"), bold),
          ),
        ],
      },
      "site old me",
    ],
    ["a line break", { type: "doc", content: [p(t("one"), br, t("two"))] }, "one\ntwo"],
    [
      "markup-looking text is only text",
      { type: "doc", content: [p(t("<img src=x onerror=alert(1)> & <script>alert(1)</script>"))] },
      "<img src=x onerror=alert(1)> & <script>alert(1)</script>",
    ],
    ["an empty paragraph between two", { type: "doc", content: [p(t("a")), p(), p(t("b"))] }, "a\n\n\n\nb"],
    [
      "a quote of two paragraphs",
      { type: "doc", content: [p(t("She wrote:")), quote(p(t("First.")), p(t("Second."))), p(t("Indeed."))] },
      "She wrote:\n\nFirst.\n\nSecond.\n\nIndeed.",
    ],
    [
      "a bullet list with a nested numbered list starting at 3",
      {
        type: "doc",
        content: [
          bullets(
            item(p(t("one")), {
              type: "orderedList",
              attrs: { start: 3 },
              content: [item(p(t("three"))), item(p(t("four")))],
            }),
            item(p(t("two")), p(t("continued"))),
          ),
        ],
      },
      "- one\n  3. three\n  4. four\n- two\n  continued",
    ],
    [
      "quotes and lists nested exactly to the limit",
      { type: "doc", content: [nestedQuotes(COMMENT_BODY_LIMITS.maxDepth)] },
      "deep",
    ],
    [
      "text exactly at the length limit",
      { type: "doc", content: [p(t("x".repeat(COMMENT_BODY_LIMITS.maxTextLength)))] },
      "x".repeat(COMMENT_BODY_LIMITS.maxTextLength),
    ],
    [
      "exactly the node limit",
      {
        type: "doc",
        content: Array.from({ length: COMMENT_BODY_LIMITS.maxNodes / 2 }, () => p(t("n"))),
      },
      Array.from({ length: COMMENT_BODY_LIMITS.maxNodes / 2 }, () => "n").join("\n\n"),
    ],
  ];

  it.each(accepted)("%s round-trips unchanged", (_name, body, text) => {
    const result = sanitizeCommentBody(body);
    expect(result.body).toEqual(body);
    expect(result.text).toBe(text);
    expect(sanitizeCommentBody(result.body)).toEqual(result);
  });
});

describe("sanitizeCommentBody: normalising", () => {
  const cases: [name: string, input: unknown, output: CommentBody][] = [
    [
      "drops unknown attributes and keys",
      {
        type: "doc",
        attrs: { id: "x" },
        html: "<b>x</b>",
        content: [
          {
            type: "paragraph",
            attrs: { textAlign: "center", style: "color:red" },
            content: [
              {
                type: "text",
                text: "a",
                onclick: "alert(1)",
                marks: [{ type: "link", attrs: { href: "https://e.org", target: "_self", rel: "opener" } }],
              },
            ],
          },
        ],
      },
      { type: "doc", content: [p(t("a", link("https://e.org")))] },
    ],
    [
      "drops empty text runs and U+0000",
      doc({ type: "paragraph", content: [t(""), t("a\u0000b"), t("\u0000")] }),
      { type: "doc", content: [p(t("ab"))] },
    ],
    [
      "orders and de-duplicates marks",
      doc(p(t("a", italic, bold, italic, link("https://a.org"), link("https://b.org")))),
      { type: "doc", content: [p(t("a", link("https://a.org"), bold, italic))] },
    ],
    [
      "drops marks on line breaks",
      doc({ type: "paragraph", content: [t("a"), { type: "hardBreak", marks: [bold] }, t("b")] }),
      { type: "doc", content: [p(t("a"), br, t("b"))] },
    ],
    [
      "trims empty paragraphs at the start and end",
      doc(p(), p(), p(t("a")), p(), p(t("b")), p()),
      { type: "doc", content: [p(t("a")), p(), p(t("b"))] },
    ],
    [
      "drops a list start of 1 and one that is not a whole number",
      doc(
        { type: "orderedList", attrs: { start: 1, type: "a" }, content: [item(p(t("a")))] },
        { type: "orderedList", attrs: { start: "3" }, content: [item(p(t("b")))] },
        { type: "orderedList", attrs: { start: 2.5 }, content: [item(p(t("c")))] },
      ),
      {
        type: "doc",
        content: [
          { type: "orderedList", content: [item(p(t("a")))] },
          { type: "orderedList", content: [item(p(t("b")))] },
          { type: "orderedList", content: [item(p(t("c")))] },
        ],
      },
    ],
    [
      "treats null content, marks and attrs as absent",
      doc({ type: "paragraph", attrs: null, content: [{ type: "text", text: "a", marks: null }] }),
      { type: "doc", content: [p(t("a"))] },
    ],
  ];

  it.each(cases)("%s", (_name, input, output) => {
    expect(sanitizeCommentBody(input).body).toEqual(output);
  });
});

describe("sanitizeCommentBody: refusals", () => {
  const linkIn = (href: unknown) =>
    doc(p({ type: "text", text: "x", marks: [{ type: "link", attrs: { href } }] } as never));
  const refused: [name: string, input: unknown, message: string][] = [
    // Not a document at all.
    ["null", null, M.notADocument],
    ["a string of HTML", "<p>hi</p>", M.notADocument],
    ["an array", [p(t("a"))], M.notADocument],
    ["a bare paragraph", p(t("a")), M.notADocument],
    ["a document without a type", { content: [p(t("a"))] }, M.notADocument],
    ["content that is not an array", { type: "doc", content: "<p>hi</p>" }, M.malformed],
    ["a node that is not an object", doc("<p>hi</p>"), M.malformed],
    ["a node without a type", doc({ content: [] }), M.missingType],
    ["a text run that is not a string", doc(p({ type: "text", text: 42 } as never)), M.textNotString],
    ["a text run without text", doc(p({ type: "text" } as never)), M.textNotString],
    // Node types outside the subset.
    ["a script node", doc({ type: "script", text: "alert(1)" }), unknownNodeMessage("script")],
    [
      "an html node",
      doc({ type: "html", content: [t("<img src=x onerror=alert(1)>")] }),
      unknownNodeMessage("html"),
    ],
    ["an iframe", doc({ type: "iframe", attrs: { src: "https://e.org" } }), unknownNodeMessage("iframe")],
    ["an image", doc(p({ type: "image", attrs: { src: "x" } } as never)), unknownNodeMessage("image")],
    [
      "a heading",
      doc({ type: "heading", attrs: { level: 1 }, content: [t("a")] }),
      unknownNodeMessage("heading"),
    ],
    ["a code block", doc({ type: "codeBlock", content: [t("a")] }), unknownNodeMessage("codeBlock")],
    [
      "an unknown list item",
      doc(bullets({ type: "taskItem", content: [p(t("a"))] } as never)),
      unknownNodeMessage("taskItem"),
    ],
    // Known types in the wrong place.
    ["text at the top level", doc(t("a")), M.textOutsideParagraph],
    ["a line break at the top level", doc(br), M.textOutsideParagraph],
    ["text directly in a quote", doc({ type: "blockquote", content: [t("a")] }), M.textOutsideParagraph],
    ["a list item outside a list", doc(item(p(t("a")))), M.listItemOutsideList],
    ["a paragraph inside a paragraph", doc(p(p(t("a")) as never)), M.blockInParagraph],
    ["a quote inside a paragraph", doc(p(quote(p(t("a"))) as never)), M.blockInParagraph],
    ["a document inside a document", doc(doc(p(t("a")))), M.nestedDocument],
    ["a paragraph directly in a list", doc({ type: "bulletList", content: [p(t("a"))] }), M.listContent],
    ["an empty list", doc({ type: "orderedList", content: [] }), M.emptyList],
    ["a list item without content", doc(bullets(item())), M.listItemStart],
    ["a list item starting with a list", doc(bullets(item(bullets(item(p(t("a"))))))), M.listItemStart],
    ["an empty quote", doc({ type: "blockquote" }), M.emptyQuote],
    // Marks outside the subset.
    [
      "an underline",
      doc(p({ type: "text", text: "a", marks: [{ type: "underline" }] } as never)),
      unknownMarkMessage("underline"),
    ],
    [
      "code",
      doc(p({ type: "text", text: "a", marks: [{ type: "code" }] } as never)),
      unknownMarkMessage("code"),
    ],
    [
      "a styled span",
      doc(p({ type: "text", text: "a", marks: [{ type: "textStyle", attrs: { style: "x" } }] } as never)),
      unknownMarkMessage("textStyle"),
    ],
    ["a mark without a type", doc(p({ type: "text", text: "a", marks: [{}] } as never)), M.missingType],
    [
      "a mark that is not an object",
      doc(p({ type: "text", text: "a", marks: ["bold"] } as never)),
      M.malformed,
    ],
    // Links that are not http:, https: or mailto:.
    ["javascript:", linkIn("javascript:alert(1)"), M.linkProtocol],
    ["JAVASCRIPT: in capitals", linkIn("JAVASCRIPT:alert(1)"), M.linkProtocol],
    ["javascript: behind a space and mixed case", linkIn(" JaVaScRiPt:alert(1)"), M.linkProtocol],
    ["javascript: split by a tab", linkIn("java\tscript:alert(1)"), M.linkProtocol],
    ["javascript: split by a newline", linkIn("java\nscript:alert(1)"), M.linkProtocol],
    ["javascript: behind a control character", linkIn("\u0001javascript:alert(1)"), M.linkProtocol],
    ["javascript: as an HTML entity", linkIn("&#106;avascript:alert(1)"), M.linkProtocol],
    ["javascript: with an entity colon", linkIn("javascript&colon;alert(1)"), M.linkProtocol],
    ["javascript: percent-encoded", linkIn("%6Aavascript:alert(1)"), M.linkProtocol],
    ["data:", linkIn("data:text/html,<script>alert(1)</script>"), M.linkProtocol],
    ["vbscript:", linkIn("vbscript:msgbox(1)"), M.linkProtocol],
    ["file:", linkIn("file:///etc/passwd"), M.linkProtocol],
    ["ftp:", linkIn("ftp://example.org/file"), M.linkProtocol],
    ["a relative path", linkIn("/seminars/1"), M.linkProtocol],
    ["a relative name", linkIn("page.html"), M.linkProtocol],
    ["a protocol-relative URL", linkIn("//evil.example/x"), M.linkProtocol],
    ["a fragment", linkIn("#top"), M.linkProtocol],
    ["a bare host name", linkIn("example.org"), M.linkProtocol],
    ["an https URL with a trailing newline", linkIn("https://example.org\n"), M.linkProtocol],
    ["an empty href", linkIn(""), M.linkProtocol],
    [
      "a missing href",
      doc(p({ type: "text", text: "a", marks: [{ type: "link" }] } as never)),
      M.linkProtocol,
    ],
    ["an href that is not a string", linkIn(["https://example.org"]), M.linkProtocol],
    [
      "an overlong href",
      linkIn(`https://example.org/${"a".repeat(COMMENT_BODY_LIMITS.maxHrefLength)}`),
      M.linkTooLong,
    ],
    [
      "javascript: on a line break",
      doc(p(t("a"), { type: "hardBreak", marks: [link("javascript:alert(1)")] } as never)),
      M.linkProtocol,
    ],
    // Limits.
    [
      "one run over the length limit",
      doc(p(t("x".repeat(COMMENT_BODY_LIMITS.maxTextLength + 1)))),
      M.tooLong,
    ],
    [
      "runs that together pass the length limit",
      doc(...Array.from({ length: 11 }, () => p(t("x".repeat(1_000))))),
      M.tooLong,
    ],
    ["quotes nested one level too deep", doc(nestedQuotes(COMMENT_BODY_LIMITS.maxDepth + 1)), M.tooDeep],
    [
      "lists nested one level too deep",
      doc(
        Array.from({ length: COMMENT_BODY_LIMITS.maxDepth }).reduce<CommentBlock>(
          (inner) => bullets(item(p(t("x")), inner)),
          bullets(item(p(t("x")))),
        ),
      ),
      M.tooDeep,
    ],
    [
      "one node over the node limit",
      doc(...Array.from({ length: 500 }, () => p(t("n"))), p()),
      M.tooManyNodes,
    ],
    ["a content array over the node limit", doc(...Array.from({ length: 5_000 }, () => p())), M.tooManyNodes],
    // Nothing to say.
    ["an empty document", { type: "doc" }, M.empty],
    ["an empty content array", doc(), M.empty],
    ["only empty paragraphs", doc(p(), p()), M.empty],
    ["only whitespace", doc(p(t("  \t ")), p(t("\u00a0"))), M.empty],
    ["only line breaks", doc(p(br, br)), M.empty],
    ["only U+0000", doc(p(t("\u0000"))), M.empty],
    ["an empty list item", doc(bullets(item(p()))), M.empty],
  ];

  it.each(refused)("refuses %s", (_name, input, message) => {
    const error = thrown(() => sanitizeCommentBody(input));
    expect(error.code).toBe("invalid_input");
    expect(error.message).toBe(message);
  });

  it("says where the problem is", () => {
    const error = thrown(() =>
      sanitizeCommentBody(doc(p(t("a")), bullets(item(p(t("b"), t("c", link("javascript:x"))))))),
    );
    expect(error.details).toEqual({ at: "/content/1/content/0/content/0/content/1/marks/0" });
  });

  it("stops a hostile, deeply nested body at the depth limit, not at the stack's", () => {
    let hostile: unknown = p(t("x"));
    for (let level = 0; level < 100_000; level++) hostile = { type: "blockquote", content: [hostile] };
    expect(thrown(() => sanitizeCommentBody(doc(hostile))).message).toBe(M.tooDeep);
  });

  it("quotes an unknown type harmlessly and briefly", () => {
    expect(unknownNodeMessage(`"><script>${"x".repeat(100)}`)).toBe(
      `Comments can't contain "\\"><script>${"x".repeat(30)}" elements.`,
    );
  });
});

describe("commentBodyToText", () => {
  const cases: [name: string, body: CommentBody, text: string][] = [
    ["paragraphs", { type: "doc", content: [p(t("One")), p(t("Two"))] }, "One\n\nTwo"],
    [
      "formatting and links as their text",
      { type: "doc", content: [p(t("a ", bold), t("b", link("https://e.org")))] },
      "a b",
    ],
    ["line breaks", { type: "doc", content: [p(t("a"), br, br, t("b"))] }, "a\n\nb"],
    [
      "a bullet list",
      { type: "doc", content: [p(t("Intro")), bullets(item(p(t("a"))), item(p(t("b"))))] },
      "Intro\n\n- a\n- b",
    ],
    [
      "a numbered list",
      { type: "doc", content: [{ type: "orderedList", content: [item(p(t("a"))), item(p(t("b")))] }] },
      "1. a\n2. b",
    ],
    [
      "two-digit numbers line up their continuation lines",
      {
        type: "doc",
        content: [{ type: "orderedList", attrs: { start: 10 }, content: [item(p(t("a"), br, t("b")))] }],
      },
      "10. a\n    b",
    ],
    [
      "a quote holding a list",
      { type: "doc", content: [quote(p(t("q")), bullets(item(p(t("x")))))] },
      "q\n\n- x",
    ],
  ];

  it.each(cases)("%s", (_name, body, text) => {
    expect(commentBodyToText(body)).toBe(text);
  });
});

describe("textToCommentBody", () => {
  const cases: [name: string, text: string, body: CommentBody][] = [
    ["one line", "Hello", { type: "doc", content: [p(t("Hello"))] }],
    ["paragraphs on blank lines", "One\n\nTwo", { type: "doc", content: [p(t("One")), p(t("Two"))] }],
    ["line breaks on single newlines", "a\nb", { type: "doc", content: [p(t("a"), br, t("b"))] }],
    [
      "an empty line inside a paragraph is a paragraph break",
      "a\n \n\n\nb",
      { type: "doc", content: [p(t("a")), p(t("b"))] },
    ],
    ["Windows newlines", "a\r\nb\r\n\r\nc", { type: "doc", content: [p(t("a"), br, t("b")), p(t("c"))] }],
    ["markup as text", "<b>x</b>", { type: "doc", content: [p(t("<b>x</b>"))] }],
    ["nothing", "", { type: "doc", content: [p()] }],
  ];

  it.each(cases)("%s", (_name, text, body) => {
    expect(textToCommentBody(text)).toEqual(body);
  });

  it.each(["Hello", "One\n\nTwo", "a\nb\n\nc\nd", "<img src=x onerror=alert(1)>"])(
    "round-trips %j through the sanitizer",
    (text) => {
      expect(sanitizeCommentBody(textToCommentBody(text)).text).toBe(text);
    },
  );
});

describe("ZCommentBodyInput", () => {
  const ZRequest = z.object({ body: ZCommentBodyInput });

  it("gives the sanitized body, its text and its tags", () => {
    const parsed = ZRequest.parse({ body: doc(p(t("a", { type: "bold", attrs: { x: 1 } } as never))) });
    expect(parsed.body).toEqual({ body: { type: "doc", content: [p(t("a", bold))] }, text: "a", tags: [] });
  });

  it("reports the sanitizer's message at the body's path", () => {
    const parsed = ZRequest.safeParse({ body: doc(p(t("x", link("javascript:alert(1)")))) });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toMatchObject([{ path: ["body"], message: M.linkProtocol }]);
  });
});
