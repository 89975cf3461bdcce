/**
 * The threads as W3C Web Annotations (https://www.w3.org/TR/annotation-model/),
 * in JSON-LD: one AnnotationCollection whose single AnnotationPage holds an
 * Annotation for each thread and one for each reply.
 *
 * - A thread's motivation follows its kind: highlights `highlighting`,
 *   comments and private notes `commenting`, guiding questions `questioning`.
 *   Its words (the first comment) are its TextualBody; a category and each
 *   #tag of the comment are further `tagging` TextualBodies (the model's
 *   semantic tags; docs/adr/0021-tags.md).
 * - A reply is an Annotation of its own, motivated `replying`, whose target
 *   is the IRI of the annotation it answers (the thread's, or the reply's
 *   it was written under).
 * - Targets are SpecificResources on the reading's IRI with a
 *   TextQuoteSelector and a TextPositionSelector, both over the document's
 *   current plain text (docs/adr/0003); a thread no longer in the text keeps
 *   only the quote it was made on.
 * - Every Annotation carries the `@context` itself, so that one taken out of
 *   the collection is still a complete Web Annotation.
 * - Words of deleted comments are not exported, nor those of hidden ones in a
 *   student's export: their annotation keeps its place in the thread without a
 *   body. An instructor's export has a hidden comment's words, their TextualBody
 *   given the instructors as its `audience` (an EducationalAudience), as the model's
 *   own example of a body meant for teachers does.
 */
import type { CommentBody, CommentMention } from "@/lib/shared/comments/comment-body";
import { sourcePageAt } from "@/lib/shared/anchors/source-page";
import type { ExportComment, ExportData, ExportThread } from "./load-export-data";
import { joinChunks } from "./stream-chunks";
import {
  commentIri,
  isShownHidden,
  personIri,
  readingUrl,
  splitThread,
  threadIri,
  threadPassage,
  commentTags,
} from "./thread-presentation";

/** The Web Annotation JSON-LD context. */
export const ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld";

/** A person or the software, as W3C Agents. */
export type WebAgent = {
  /** An IRI for the agent. */
  id: string;
  /** `Person` or `Software`. */
  type: "Person" | "Software";
  /** The name as shown in Marginalia. */
  name: string;
  /** The software's home page. */
  homepage?: string;
};

/** An embedded textual body. */
export type WebTextualBody = {
  /** Always `TextualBody`. */
  type: "TextualBody";
  /** The plain text. */
  value: string;
  /** Always `text/plain`. */
  format: "text/plain";
  /** The language of the text (BCP 47). */
  language: string;
  /** Why the body is there. */
  purpose: "commenting" | "questioning" | "replying" | "tagging";
  /** Only on words hidden from students (an instructor's export): who they are for. */
  audience?: WebAudience;
};

/** The people a body is meant for (the model's `audience`, schema.org terms). */
export type WebAudience = {
  /** Always `schema:EducationalAudience`. */
  type: "schema:EducationalAudience";
  /** Always `instructor`: the seminar's instructors, who alone read hidden words. */
  "schema:educationalRole": "instructor";
};

/** Who reads the words of a hidden comment. */
const INSTRUCTORS_ONLY: WebAudience = {
  type: "schema:EducationalAudience",
  "schema:educationalRole": "instructor",
};

/**
 * A person a comment mentions, as a semantic tag of the annotation: an
 * embedded resource typed `Person` with purpose `tagging`
 * (docs/adr/0018-mentions-in-web-annotations.md).
 */
export type WebPersonBody = {
  /** The person's IRI, as for creators. */
  id: string;
  /** Always `Person`. */
  type: "Person";
  /** Their current name. */
  name: string;
  /** Always `tagging`. */
  purpose: "tagging";
};

/** A selector over the plain text. */
export type WebSelector =
  | { type: "TextQuoteSelector"; exact: string; prefix?: string; suffix?: string }
  | { type: "TextPositionSelector"; start: number; end: number }
  /** The source's page (RFC 3778 `page=N`) for texts converted from a paginated file. */
  | { type: "FragmentSelector"; conformsTo: "http://tools.ietf.org/rfc/rfc3778"; value: string };

/** A passage of the reading. */
export type WebSpecificResource = {
  /** Always `SpecificResource`. */
  type: "SpecificResource";
  /** The reading's IRI. */
  source: string;
  /** The quote, then (when the passage is in the text) its offsets. */
  selector: WebSelector[];
};

/** One Web Annotation. */
export type WebAnnotation = {
  /** {@link ANNO_CONTEXT}. */
  "@context": typeof ANNO_CONTEXT;
  /** The annotation's IRI (a fragment of the reading page). */
  id: string;
  /** Always `Annotation`. */
  type: "Annotation";
  /** Why it was made. */
  motivation: "highlighting" | "commenting" | "questioning" | "replying";
  /** Who made it. */
  creator: WebAgent;
  /** When it was made (xsd:dateTime, UTC). */
  created: string;
  /** When it last changed, if it did. */
  modified?: string;
  /** Marginalia. */
  generator: WebAgent;
  /** When this serialization was made. */
  generated: string;
  /** Its words and tags; absent for a bare highlight or a removed comment. */
  body?: WebTextualBody | WebPersonBody | (WebTextualBody | WebPersonBody)[];
  /** The passage, or for a reply the IRI of the annotation it answers. */
  target: WebSpecificResource | string;
  /** Members' reactions to its words (schema.org InteractionCounters, by full IRI: the anno context has no term). */
  "https://schema.org/interactionStatistic"?: WebInteractionCounter[];
};

/** How many members reacted one way to an annotation's words. */
export type WebInteractionCounter = {
  "@type": "https://schema.org/InteractionCounter";
  /** "helpful" or "same question". */
  "https://schema.org/name": string;
  "https://schema.org/userInteractionCount": number;
};

/** The reactions of a comment as interaction counters; empty when none. */
function interactionStatistic(
  comment: ExportComment | null,
): Partial<Pick<WebAnnotation, "https://schema.org/interactionStatistic">> {
  if (!comment || comment.isDeleted || comment.isHidden) return {};
  const counters: WebInteractionCounter[] = [];
  const counts = [
    ["helpful", comment.reactionCounts.helpful],
    ["same question", comment.reactionCounts.sameQuestion],
  ] as const;
  for (const [name, count] of counts)
    if (count > 0)
      counters.push({
        "@type": "https://schema.org/InteractionCounter",
        "https://schema.org/name": name,
        "https://schema.org/userInteractionCount": count,
      });
  return counters.length > 0 ? { "https://schema.org/interactionStatistic": counters } : {};
}

/** The collection of a reading's annotations, all on one embedded page. */
export type WebAnnotationCollection = {
  /** {@link ANNO_CONTEXT}. */
  "@context": typeof ANNO_CONTEXT;
  /** The export's own URL. */
  id: string;
  /** Always `AnnotationCollection`. */
  type: "AnnotationCollection";
  /** What it collects. */
  label: string;
  /** Number of annotations. */
  total: number;
  /** The page's IRI. */
  last: string;
  /** The one page. */
  first: {
    id: string;
    type: "AnnotationPage";
    startIndex: 0;
    items: WebAnnotation[];
  };
};

const LANGUAGE = "en";

const MOTIVATIONS: Record<ExportThread["kind"], WebAnnotation["motivation"]> = {
  HIGHLIGHT: "highlighting",
  COMMENT: "commenting",
  GUIDING_QUESTION: "questioning",
  NOTE: "commenting",
};

/** The Web Annotations of an export, threads in reading order, each followed by its replies. */
export function* webAnnotations(data: ExportData, origin: string): Generator<WebAnnotation> {
  const generator: WebAgent = {
    id: `${origin.replace(/\/+$/, "")}/`,
    type: "Software",
    name: "Marginalia",
    homepage: `${origin.replace(/\/+$/, "")}/`,
  };
  const generated = data.generatedAt.toISOString();
  const source = readingUrl(data, origin);
  const person = (author: ExportComment["author"]): WebAgent => ({
    id: personIri(data, origin, author.id),
    type: "Person",
    name: author.name,
  });
  // Only comments whose words are exported: a hidden comment's mentions are its words too.
  const mentionBodies = (comment: ExportComment | null): WebPersonBody[] =>
    comment?.body && !comment.isDeleted
      ? findMentions(comment.body).map((mention) => ({
          id: personIri(data, origin, mention.id),
          type: "Person",
          name: mention.label,
          purpose: "tagging",
        }))
      : [];

  // A comment's #tags, as the model's tagging bodies: one TextualBody per tag, its value the tag's name.
  const tagBodies = (comment: ExportComment | null): WebTextualBody[] =>
    comment
      ? commentTags(comment).map((name) => ({
          type: "TextualBody",
          value: name,
          format: "text/plain",
          language: LANGUAGE,
          purpose: "tagging",
        }))
      : [];

  for (const thread of data.threads) {
    const { root, replies } = splitThread(thread);
    const passage = threadPassage(data, thread);
    const quote: WebSelector = {
      type: "TextQuoteSelector",
      exact: passage.exact,
      ...(passage.prefix ? { prefix: passage.prefix } : {}),
      ...(passage.suffix ? { suffix: passage.suffix } : {}),
    };
    const selector: WebSelector[] = thread.position
      ? [quote, { type: "TextPositionSelector", start: thread.position.start, end: thread.position.end }]
      : [quote];
    const page = thread.range ? sourcePageAt(data.document.doc, thread.range.from) : null;
    if (page !== null && /^\d+$/.test(page)) {
      selector.push({
        type: "FragmentSelector",
        conformsTo: "http://tools.ietf.org/rfc/rfc3778",
        value: `page=${page}`,
      });
    }
    const bodies: (WebTextualBody | WebPersonBody)[] = [];
    const motivation = MOTIVATIONS[thread.kind];
    const words = root
      ? textualBody(root, motivation === "questioning" ? "questioning" : "commenting")
      : null;
    if (words) bodies.push(words, ...mentionBodies(root), ...tagBodies(root));
    if (thread.category)
      bodies.push({
        type: "TextualBody",
        value: thread.category.name,
        format: "text/plain",
        language: LANGUAGE,
        purpose: "tagging",
      });
    const modified = root?.editedAt ?? (thread.updatedAt !== thread.createdAt ? thread.updatedAt : null);
    const iri = threadIri(data, origin, thread);
    yield {
      "@context": ANNO_CONTEXT,
      id: iri,
      type: "Annotation",
      motivation,
      creator: person(thread.author),
      created: isoDate(thread.createdAt),
      ...(modified ? { modified: isoDate(modified) } : {}),
      generator,
      generated,
      ...(bodies.length === 1 ? { body: bodies[0] } : bodies.length > 1 ? { body: bodies } : {}),
      target: { type: "SpecificResource", source, selector },
      ...interactionStatistic(root),
    };

    const exported = new Set(replies.map((reply) => reply.id));
    for (const reply of replies) {
      const replyWords = textualBody(reply, "replying");
      const replyBodies = replyWords ? [replyWords, ...mentionBodies(reply), ...tagBodies(reply)] : [];
      const body = replyBodies.length > 1 ? replyBodies : replyBodies[0];
      // A reply answers the reply it was written under, else the thread.
      const target =
        reply.parentId && reply.parentId !== root?.id && exported.has(reply.parentId)
          ? commentIri(data, origin, { id: reply.parentId })
          : iri;
      yield {
        "@context": ANNO_CONTEXT,
        id: commentIri(data, origin, reply),
        type: "Annotation",
        motivation: "replying",
        creator: person(reply.author),
        created: isoDate(reply.createdAt),
        ...(reply.editedAt ? { modified: isoDate(reply.editedAt) } : {}),
        generator,
        generated,
        ...(body ? { body } : {}),
        target,
        ...interactionStatistic(reply),
      };
    }
  }
}

/** How many annotations {@link webAnnotations} yields. */
export function countWebAnnotations(data: ExportData): number {
  return data.threads.reduce((sum, thread) => sum + 1 + splitThread(thread).replies.length, 0);
}

/** The collection around the annotations (its page's `items` empty). */
export function webAnnotationCollection(
  data: ExportData,
  origin: string,
): WebAnnotationCollection & { first: { items: [] } } {
  const id = collectionUrl(data, origin);
  const page = `${id}#page-1`;
  return {
    "@context": ANNO_CONTEXT,
    id,
    type: "AnnotationCollection",
    label: `Annotations on “${data.document.title}” in the seminar “${data.seminar.title}”${
      data.snapshot ? `, as of the snapshot “${data.snapshot.name}”` : ""
    }`,
    total: countWebAnnotations(data),
    last: page,
    first: { id: page, type: "AnnotationPage", startIndex: 0, items: [] },
  };
}

/**
 * The collection as indented JSON, in chunks: the collection's head, then one
 * annotation per chunk, so that a thousand threads stream as they are written.
 */
export function* jsonldChunks(data: ExportData, origin: string): Generator<string> {
  const head = JSON.stringify(webAnnotationCollection(data, origin), null, 2);
  // `first` is the last key and `items` the last key in it, so the last
  // occurrence is the real one (a label may quote anything earlier).
  const at = head.lastIndexOf('"items": []');
  const itemsIndent = head.slice(head.lastIndexOf("\n", at) + 1, at);
  yield `${head.slice(0, at)}"items": [`;
  let isFirst = true;
  for (const annotation of webAnnotations(data, origin)) {
    yield `${isFirst ? "" : ","}\n${indentedJson(annotation, itemsIndent.length + 2)}`;
    isFirst = false;
  }
  yield `${isFirst ? "" : `\n${itemsIndent}`}]${head.slice(at + '"items": []'.length)}\n`;
}

/**
 * `value` as `JSON.stringify(value, null, 2)` writes it, every line (the first too) indented
 * by `indent` spaces more (an even number): written nested in `indent / 2` arrays, which
 * indent it, and cut out of them. Indenting the lines afterwards with a replace took about
 * as long again as writing them.
 */
function indentedJson(value: unknown, indent: number): string {
  const depth = indent / 2;
  let nested = value;
  for (let i = 0; i < depth; i++) nested = [nested];
  const text = JSON.stringify(nested, null, 2);
  // Each opening line ("[", "  [", …) and each closing line ("]" …) with its newline: depth (depth + 1) characters each side.
  const cut = depth * (depth + 1);
  return text.slice(cut, text.length - cut);
}

/** The JSON-LD export as one string. */
export function renderJsonLd(data: ExportData, origin: string): string {
  return joinChunks(jsonldChunks(data, origin));
}

/** The export's own URL: the API request that makes this collection. */
function collectionUrl(data: ExportData, origin: string): string {
  const query = new URLSearchParams({ format: "jsonld", layers: data.options.layers });
  if (!data.options.includeResolved) query.set("includeResolved", "false");
  if (data.options.participantId) query.set("participantId", data.options.participantId);
  if (data.options.snapshotId) query.set("snapshotId", data.options.snapshotId);
  return `${origin.replace(/\/+$/, "")}/api/seminars/${encodeURIComponent(data.seminar.id)}/documents/${encodeURIComponent(
    data.document.id,
  )}/export?${query.toString()}`;
}

function textualBody(comment: ExportComment, purpose: WebTextualBody["purpose"]): WebTextualBody | null {
  if (comment.isDeleted || !comment.body || !comment.text.trim()) return null;
  return {
    type: "TextualBody",
    value: comment.text,
    format: "text/plain",
    language: LANGUAGE,
    purpose,
    ...(isShownHidden(comment) ? { audience: INSTRUCTORS_ONLY } : {}),
  };
}

/** The people a body mentions, each once, in order of first mention. */
function findMentions(body: CommentBody): CommentMention["attrs"][] {
  const found = new Map<string, CommentMention["attrs"]>();
  const visit = (blocks: CommentBody["content"]) => {
    for (const block of blocks) {
      if (block.type === "paragraph") {
        for (const inline of block.content ?? [])
          if (inline.type === "mention" && !found.has(inline.attrs.id))
            found.set(inline.attrs.id, inline.attrs);
      } else if (block.type === "blockquote") visit(block.content);
      else for (const item of block.content) visit(item.content);
    }
  };
  visit(body.content);
  return [...found.values()];
}

/** Dates as stored are ISO strings already; normalize anything else to UTC. */
/** A date as `Date.prototype.toISOString` writes it. */
const CANONICAL_ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function isoDate(value: string): string {
  // Rooms and rows give dates in this form already (`toISOString`); parsing 30,000 of them again took ~20 ms.
  if (CANONICAL_ISO_DATE.test(value)) return value;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}
