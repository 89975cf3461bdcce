/**
 * The reading page (app/reading/comment-body-view.tsx) and the annotated copy
 * (lib/server/exports/html/comment-body-html.ts) render the typed nodes that
 * readCommentBody reads from a stored body, and write the same markup.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CommentBodyView } from "../../app/reading/comment-body-view";
import { readCommentBody } from "../../lib/shared/comments/read-comment-body";
import { renderCommentBodyHtml } from "../../lib/server/exports/html/comment-body-html";

const text = (value: string, ...marks: unknown[]) =>
  marks.length > 0 ? { type: "text", text: value, marks } : { type: "text", text: value };
const p = (...content: unknown[]) => ({ type: "paragraph", content });
const link = (href: string) => ({ type: "link", attrs: { href } });
const item = (...content: unknown[]) => ({ type: "listItem", content });

/** Stored bodies as they may come, and the markup both renderers write for them. */
const CASES: [string, unknown, string][] = [
  ["a paragraph", [p(text("Hello"))], "<p>Hello</p>"],
  ["an empty paragraph", [{ type: "paragraph" }], "<p></p>"],
  [
    "emphasis, bold outside italic",
    [p(text("a", { type: "italic" }, { type: "bold" }))],
    "<p><strong><em>a</em></strong></p>",
  ],
  ["a line break", [p(text("a"), { type: "hardBreak" }, text("b"))], "<p>a<br/>b</p>"],
  [
    "one anchor over runs of the same link",
    [
      p(
        text("see "),
        text("the ", link("https://x.example")),
        text("notes", link("https://x.example"), { type: "bold" }),
      ),
    ],
    '<p>see <a href="https://x.example" rel="noopener noreferrer">the <strong>notes</strong></a></p>',
  ],
  ["an unsafe link as plain text", [p(text("click", link("javascript:alert(1)")))], "<p>click</p>"],
  [
    "markup in text, escaped",
    [p(text('<img src=x onerror="alert(1)">'))],
    "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>",
  ],
  [
    "an unknown block, as its text",
    [{ type: "rawHtml", content: [text("<iframe>")] }],
    "<p>&lt;iframe&gt;</p>",
  ],
  ["a quote", [{ type: "blockquote", content: [p(text("q"))] }], "<blockquote><p>q</p></blockquote>"],
  [
    "lists, an ordered one starting at 3",
    [
      { type: "bulletList", content: [item(p(text("a")))] },
      { type: "orderedList", attrs: { start: 3 }, content: [item(p(text("b")))] },
    ],
    '<ul><li><p>a</p></li></ul><ol start="3"><li><p>b</p></li></ol>',
  ],
];

/** The React view's markup, without its wrapper and with the HTML export's spelling of a few details. */
function viewMarkup(content: unknown): string {
  const html = renderToStaticMarkup(
    createElement(CommentBodyView, { body: readCommentBody({ type: "doc", content }) }),
  );
  return html.replace(/^<div class="comment-body-view">|<\/div>$/g, "").replace(/ target="_blank"/g, "");
}

describe("renderCommentBodyHtml", () => {
  it.each(CASES)("writes %s", (_name, content, expected) => {
    const html = renderCommentBodyHtml(readCommentBody({ type: "doc", content }));
    // The export writes HTML (<br>), React XHTML-style void elements (<br/>).
    expect(html).toBe(expected.replace(/<br\/>/g, "<br>"));
  });

  it.each(CASES)("writes %s as the reading page's view does", (_name, content, expected) => {
    expect(viewMarkup(content)).toBe(expected);
  });
});

describe("a picked tag or mention before punctuation", () => {
  // The composer's pickers put a space after the node; the writer then typed a comma.
  const content = [
    p(
      text("On "),
      { type: "tag", attrs: { name: "close-reading" } },
      text(" , ask "),
      { type: "mention", attrs: { id: "u1", label: "Ana Ruiz" } },
      text(" ."),
    ),
  ];

  it("reads naturally in the annotated copy", () => {
    expect(renderCommentBodyHtml(readCommentBody({ type: "doc", content }))).toBe(
      '<p>On <span class="tag">#close-reading</span>, ask <span class="mention">@Ana Ruiz</span>.</p>',
    );
  });

  it("reads naturally on the reading page", () => {
    expect(viewMarkup(content)).toBe(
      '<p>On <span class="tag" data-tag="close-reading">#close-reading</span>, ask ' +
        '<span class="mention" data-user-id="u1">@Ana Ruiz</span>.</p>',
    );
  });
});
