"use client";

import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { TextSelection } from "@tiptap/pm/state";
import { EditorContent, useEditor } from "@tiptap/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { createAnchor, type StoredAnchor } from "@/lib/shared/anchors/anchor";
import type { CommentBody } from "@/lib/shared/comments/comment-body";
import { initials } from "@/lib/shared/names";
import { ROOT_TYPES } from "@/lib/shared/rooms";
import { readingExtensions } from "@/lib/shared/schema/reading-extensions";
import { signInUrl } from "@/lib/shared/urls";
import { threadIdFromHash } from "@/lib/shared/review/review-query";
import { ApiError } from "@/lib/client/api";
import {
  patchAnnotation,
  patchComment,
  postAnnotation,
  postComment,
  removeAnnotation,
  removeComment,
} from "@/lib/client/annotations/api";
import { newId } from "@/lib/client/annotations/ids";
import {
  DEFAULT_FILTER,
  isVisible,
  type MarginFilter,
  type Thread,
  type ThreadComment,
} from "@/lib/shared/annotations/threads";
import { useThreads, type PendingWrites } from "@/lib/client/annotations/use-threads";
import { presentUsers, type Present } from "@/lib/client/collab/presence";
import { useRoom, type RoomState } from "@/lib/client/collab/use-room";
import {
  AnnotationLayer,
  annotationLayerKey,
  annotationsAt,
  type ResolvedRange,
} from "@/lib/client/editor/annotation-layer";
import { FootnoteLinks } from "@/lib/client/editor/footnote-links";
import { FootnoteReferenceWithPopover } from "@/lib/client/editor/footnote-popover";
import {
  paragraphRange,
  READING_COMMAND_EVENT,
  ReadingCommands,
  sentenceRange,
  type ReadingCommand,
} from "@/lib/client/editor/reading-commands";
import { ReadOnlyText } from "@/lib/client/editor/read-only-text";
import { Margin, type Draft } from "./margin";
import { CategoriesDialog, ShortcutsDialog } from "./reading-dialogs";
import { SelectionToolbar } from "./selection-toolbar";
import type { ThreadActions } from "./thread-card";

type Props = {
  seminarId: string;
  documentId: string;
  /** `text:<documentId>` */
  textRoom: string;
  /** `seminar:<seminarId>:<documentId>`: shared annotations, presence. */
  seminarRoom: string;
  /** `notes:<documentId>:<userId>`: the reader's private notes. */
  notesRoom: string;
  /** What the reader may do. */
  can: { editText: boolean; guide: boolean; moderate: boolean };
  /** The document title, for the editor's accessible name. */
  title: string;
  /** Who is reading. */
  viewer: { id: string; name: string };
  /** The instructor's instruction for this reading. */
  instruction: string | null;
  /** The server-rendered text, shown until the live text has synced. */
  children: ReactNode;
};

/** A random 32-bit Yjs client id, shared by this page's rooms. */
function newClientId(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] as number;
}

function messageOf(failure: unknown): string {
  return failure instanceof ApiError || failure instanceof Error
    ? failure.message
    : "That did not work. Try again.";
}

const EMPTY_PENDING: PendingWrites = { threads: new Map(), comments: new Map() };

/** A comment the reader has just written, before the server has it. */
function newComment(author: ThreadComment["author"], body: CommentBody): ThreadComment {
  return {
    id: newId(),
    parentId: null,
    author,
    body,
    createdAt: new Date().toISOString(),
    editedAt: null,
    isDeleted: false,
    isHidden: false,
  };
}

/** The reading page: the live text, what the seminar wrote about it, and the reader's own notes. */
export function LiveReading(props: Props) {
  const [clientId] = useState(newClientId);
  const text = useRoom(props.textRoom, { clientId });
  const seminar = useRoom(props.seminarRoom, { clientId });
  // The notes room gets its own client id: the reader writes there.
  const notes = useRoom(props.notesRoom);
  const router = useRouter();
  const closed = text?.closed ?? seminar?.closed ?? notes?.closed ?? null;

  useEffect(() => {
    if (closed?.shouldRefresh) router.refresh();
  }, [closed, router]);

  return (
    <div className="reading-layout">
      {text && seminar && notes ? (
        <LiveWorkspace {...props} text={text} seminar={seminar} notes={notes} closed={closed} />
      ) : (
        <>
          <article className="reading-column" aria-label={props.title}>
            {props.instruction && <Instruction text={props.instruction} />}
            {props.children}
          </article>
          <aside className="margin-column" aria-label="Margin" />
        </>
      )}
    </div>
  );
}

function Instruction({ text }: { text: string }) {
  return (
    <aside className="reading-instruction" aria-label="Instruction">
      {text}
    </aside>
  );
}

type WorkspaceProps = Props & {
  text: RoomState;
  seminar: RoomState;
  notes: RoomState;
  closed: RoomState["closed"];
};

function LiveWorkspace(props: WorkspaceProps) {
  const { text, seminar, notes, viewer, can } = props;
  const [pending, setPending] = useState<PendingWrites>(EMPTY_PENDING);
  const [filter, setFilter] = useState<MarginFilter>(DEFAULT_FILTER);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [hoverIds, setHoverIds] = useState<string[]>([]);
  const [ranges, setRanges] = useState<Map<string, ResolvedRange>>(new Map());
  const [draft, setDraft] = useState<(Draft & { anchor: StoredAnchor }) | null>(null);
  const [draftError, setDraftError] = useState<string | null>(null);
  const [layoutVersion, setLayoutVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const me = useMemo(() => ({ id: viewer.id, name: viewer.name }), [viewer.id, viewer.name]);
  /** The reader as the author of what they write now (the server stores the role it knows). */
  const author = useMemo(
    () => ({ id: viewer.id, name: viewer.name, role: can.guide ? "INSTRUCTOR" : "STUDENT" }),
    [viewer.id, viewer.name, can.guide],
  );
  const notesMap = notes.doc.getMap<Record<string, unknown>>(ROOT_TYPES.annotations);
  const { threads, categories } = useThreads({ seminarDoc: seminar.doc, notesDoc: notes.doc, me, pending });
  const activeId = hoverIds[0] ?? focusId;

  // Forget pending writes once their room holds them (checked as the rooms change).
  useEffect(() => {
    const forgetCommitted = () =>
      setPending((current) => {
        const annotations = seminar.doc.getMap(ROOT_TYPES.annotations);
        const comments = seminar.doc.getMap(ROOT_TYPES.comments);
        const threadsLeft = new Map(
          [...current.threads].filter(([id, thread]) => thread.status === "failed" || !annotations.has(id)),
        );
        const commentsLeft = new Map([...current.comments].filter(([id]) => !comments.has(id)));
        if (threadsLeft.size === current.threads.size && commentsLeft.size === current.comments.size)
          return current;
        return { threads: threadsLeft, comments: commentsLeft };
      });
    seminar.doc.on("update", forgetCommitted);
    return () => seminar.doc.off("update", forgetCommitted);
  }, [seminar.doc]);

  const editor = useEditor(
    {
      immediatelyRender: false,
      // Its base CSS is in globals.css: the CSP refuses an injected <style>.
      injectCSS: false,
      editable: true,
      extensions: [
        ...readingExtensions().map((extension) =>
          extension.name === "footnoteReference" ? FootnoteReferenceWithPopover : extension,
        ),
        Collaboration.configure({ document: text.doc, field: ROOT_TYPES.text }),
        // Carets of the text's readers, published through the seminar room's presence (ADR 0006).
        CollaborationCaret.configure({
          provider: { awareness: seminar.provider.awareness },
          user: { name: viewer.name, color: "#8a3b12" },
        }),
        ReadOnlyText.configure({ isReadOnly: !can.editText }),
        FootnoteLinks,
        AnnotationLayer.configure({
          ydoc: text.doc,
          fragment: text.doc.getXmlFragment(ROOT_TYPES.text),
          onResolved: (next) => setRanges(new Map(next)),
          onHover: (ids) => setHoverIds(ids),
        }),
        ReadingCommands,
      ],
      editorProps: {
        attributes: {
          class: "reading-text reading-editor",
          role: "document",
          "aria-label": props.title,
          "aria-readonly": String(!can.editText),
          "aria-describedby": "reading-help",
          spellcheck: String(can.editText),
        },
      },
      onTransaction: ({ transaction }) => {
        if (transaction.docChanged) setLayoutVersion((value) => value + 1);
      },
      onSelectionUpdate: ({ editor: current }) => {
        // Keyboard focus follows the caret: inside a highlight, its thread comes forward.
        const layer = annotationLayerKey.getState(current.state);
        if (!layer) return;
        const [innermost] = annotationsAt(layer.ranges, current.state.selection.head);
        if (innermost) setFocusId(innermost);
      },
    },
    [text.doc, seminar.provider, can.editText],
  );

  // Feed the layer what to draw: the threads the filters show, their colours, the one in focus.
  const colors = useMemo(
    () => Object.fromEntries(categories.map((category) => [category.id, category.color])),
    [categories],
  );
  const visibleThreads = useMemo(
    () => threads.filter((thread) => isVisible(thread, filter, me.id)),
    [threads, filter, me.id],
  );
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    editor.view.dispatch(
      editor.state.tr.setMeta(annotationLayerKey, { threads: visibleThreads, colors, activeId }),
    );
  }, [editor, visibleThreads, colors, activeId]);

  useEffect(() => {
    const bump = () => setLayoutVersion((value) => value + 1);
    window.addEventListener("resize", bump);
    void document.fonts?.ready.then(bump);
    return () => window.removeEventListener("resize", bump);
  }, []);

  const selectionAnchor = useCallback((): {
    anchor: StoredAnchor;
    from: number;
    to: number;
    quote: string;
  } | null => {
    if (!editor) return null;
    const { from, to } = editor.state.selection;
    if (from >= to) {
      setNotice("Select a passage first (Ctrl+Alt+S selects the sentence at the caret).");
      return null;
    }
    try {
      const anchor = createAnchor({
        doc: text.doc,
        fragment: text.doc.getXmlFragment(ROOT_TYPES.text),
        pmDoc: editor.state.doc,
        from,
        to,
      });
      setNotice(null);
      return { anchor, from, to, quote: anchor.quote.exact };
    } catch {
      setNotice("That selection has no text to annotate.");
      return null;
    }
  }, [editor, text.doc]);

  const optimisticThread = useCallback(
    (
      id: string,
      kind: Thread["kind"],
      anchor: StoredAnchor,
      categoryId: string | null,
      comment: ThreadComment | null,
    ): Thread => {
      const now = new Date().toISOString();
      return {
        id,
        kind,
        layer: "seminar",
        author,
        categoryId,
        anchor,
        pinned: false,
        resolvedAt: null,
        resolvedByName: null,
        createdAt: now,
        updatedAt: now,
        comments: comment ? [comment] : [],
        status: "pending",
      };
    },
    [author],
  );

  const send = useCallback(
    (thread: Thread, body: CommentBody | null) => {
      setPending((current) => ({
        ...current,
        threads: new Map(current.threads).set(thread.id, { ...thread, status: "pending", error: undefined }),
      }));
      postAnnotation(props.seminarId, props.documentId, {
        id: thread.id,
        kind: thread.kind as "HIGHLIGHT" | "COMMENT" | "GUIDING_QUESTION",
        categoryId: thread.categoryId,
        anchor: thread.anchor,
        ...(body ? { body, commentId: thread.comments[0]?.id } : {}),
      }).catch((failure: unknown) => {
        setPending((current) => ({
          ...current,
          threads: new Map(current.threads).set(thread.id, {
            ...thread,
            status: "failed",
            error: messageOf(failure),
          }),
        }));
      });
    },
    [props.seminarId, props.documentId],
  );

  const highlight = useCallback(
    (categoryId: string | null) => {
      const selected = selectionAnchor();
      if (!selected) return;
      const category = categoryId ?? categories[0]?.id ?? null;
      send(optimisticThread(newId(), "HIGHLIGHT", selected.anchor, category, null), null);
      editor?.commands.setTextSelection(selected.to);
    },
    [selectionAnchor, categories, send, optimisticThread, editor],
  );

  const startDraft = useCallback(
    (kind: Draft["kind"]) => {
      if (kind === "GUIDING_QUESTION" && !can.guide) return;
      const selected = selectionAnchor();
      if (!selected) return;
      setDraftError(null);
      setDraft({
        id: newId(),
        kind,
        from: selected.from,
        to: selected.to,
        quote: selected.quote,
        anchor: selected.anchor,
      });
    },
    [selectionAnchor, can.guide],
  );

  const submitDraft = useCallback(
    (body: CommentBody) => {
      if (!draft) return;
      const now = new Date().toISOString();
      if (draft.kind === "NOTE") {
        notesMap.set(draft.id, { id: draft.id, anchor: draft.anchor, body, createdAt: now, updatedAt: now });
        setDraft(null);
        setFocusId(draft.id);
        return;
      }
      const comment = { ...newComment(author, body), isPending: true };
      send(optimisticThread(draft.id, draft.kind, draft.anchor, null, comment), body);
      setDraft(null);
      setFocusId(draft.id);
    },
    [draft, notesMap, author, send, optimisticThread],
  );

  // Shortcuts in the editor arrive as DOM events (reading-commands.ts).
  useEffect(() => {
    const dom = editor?.view.dom;
    if (!dom) return;
    const onCommand = (event: Event) => {
      const command = (event as CustomEvent<ReadingCommand>).detail;
      if (command === "highlight") highlight(null);
      else if (command === "comment") startDraft("COMMENT");
      else if (command === "note") startDraft("NOTE");
      else if (command === "question") startDraft("GUIDING_QUESTION");
    };
    dom.addEventListener(READING_COMMAND_EVENT, onCommand);
    return () => dom.removeEventListener(READING_COMMAND_EVENT, onCommand);
  }, [editor, highlight, startDraft]);

  const actions: ThreadActions = useMemo(
    () => ({
      async reply(thread, body) {
        const comment = newComment(author, body);
        const { id } = comment;
        setPending((current) => ({
          ...current,
          comments: new Map(current.comments).set(id, {
            annotationId: thread.id,
            comment,
            status: "pending",
          }),
        }));
        try {
          await postComment(thread.id, { id, body });
        } catch (failure) {
          // The composer keeps the words; the optimistic reply goes.
          setPending((current) => {
            const comments = new Map(current.comments);
            comments.delete(id);
            return { ...current, comments };
          });
          throw new Error(messageOf(failure));
        }
      },
      async editComment(thread, comment, body) {
        if (thread.layer === "private") {
          const note = notesMap.get(thread.id);
          if (note) notesMap.set(thread.id, { ...note, body, updatedAt: new Date().toISOString() });
          return;
        }
        await patchComment(comment.id, { body }).catch((failure: unknown) => {
          throw new Error(messageOf(failure));
        });
      },
      async deleteComment(thread, comment) {
        if (thread.layer === "private") {
          notesMap.delete(thread.id);
          return;
        }
        await removeComment(comment.id);
      },
      async hideComment(_thread, comment, hidden) {
        await patchComment(comment.id, { hidden });
      },
      async resolve(thread, resolved) {
        await patchAnnotation(thread.id, { resolved });
      },
      async pin(thread, pinned) {
        await patchAnnotation(thread.id, { pinned });
      },
      async deleteThread(thread) {
        if (thread.layer === "private") {
          notesMap.delete(thread.id);
          return;
        }
        await removeAnnotation(thread.id);
      },
      retry(thread) {
        send(thread, thread.comments[0]?.body ?? null);
      },
      discard(thread) {
        setPending((current) => {
          const next = new Map(current.threads);
          next.delete(thread.id);
          return { ...current, threads: next };
        });
      },
    }),
    [author, notesMap, send],
  );

  const activate = useCallback(
    (id: string | null) => {
      setFocusId(id);
      const range = id ? ranges.get(id) : null;
      if (!editor || !range) return;
      const dom = editor.view.domAtPos(range.from).node;
      const element = dom instanceof Element ? dom : dom.parentElement;
      const box = element?.getBoundingClientRect();
      if (box && (box.top < 80 || box.bottom > window.innerHeight))
        element?.scrollIntoView({ block: "center", behavior: "smooth" });
    },
    [editor, ranges],
  );

  // A link to `#thread-<id>` (the review page's "Open in the text") opens the
  // reading with that thread focused. The workspace mounts only in the browser,
  // so the hash can be read as state starts; later hash changes are followed too.
  const [hashThreadId, setHashThreadId] = useState(() => threadIdFromHash(window.location.hash));
  const [revealedHashId, setRevealedHashId] = useState<string | null>(null);
  const focusedHashId = useRef<string | null>(null);
  useEffect(() => {
    const onHashChange = () => setHashThreadId(threadIdFromHash(window.location.hash));
    window.addEventListener("hashchange", onHashChange);
    return () => window.removeEventListener("hashchange", onHashChange);
  }, []);
  // Once, when the thread first arrives: the margin cannot place a thread the
  // filters hide (a resolved one, by default), so show it. Adjusted while
  // rendering, as React advises for state that follows other state.
  const hashThread = hashThreadId ? threads.find((thread) => thread.id === hashThreadId) : undefined;
  if (hashThread && revealedHashId !== hashThread.id) {
    setRevealedHashId(hashThread.id);
    if (!isVisible(hashThread, filter, me.id)) setFilter({ ...DEFAULT_FILTER, showResolved: true });
  }
  // Then, once the annotation layer has placed it, focus it and bring its card
  // into view (beside its passage, or among the detached ones) after the margin
  // has laid the cards out around the focused one: two frames later.
  const hashScrollFrame = useRef(0);
  useEffect(() => () => cancelAnimationFrame(hashScrollFrame.current), []);
  useEffect(() => {
    const id = hashThreadId;
    if (!id || focusedHashId.current === id || !ranges.has(id)) return;
    focusedHashId.current = id;
    activate(id);
    hashScrollFrame.current = requestAnimationFrame(() => {
      hashScrollFrame.current = requestAnimationFrame(() => {
        const card = document.querySelector(`.margin [data-thread-id="${CSS.escape(id)}"]`);
        const box = card?.getBoundingClientRect();
        if (box && (box.top < 80 || box.bottom > window.innerHeight))
          card?.scrollIntoView({ block: "center" });
      });
    });
  }, [hashThreadId, ranges, activate]);

  const topOf = useCallback(
    (pos: number, container: HTMLElement) => {
      if (!editor || editor.isDestroyed) return null;
      try {
        return (
          editor.view.coordsAtPos(Math.min(pos, editor.state.doc.content.size)).top -
          container.getBoundingClientRect().top
        );
      } catch {
        return null;
      }
    },
    [editor],
  );

  const selectRange = (range: { from: number; to: number } | null) => {
    if (!editor || !range) return;
    editor.view.dispatch(
      editor.state.tr
        .setSelection(TextSelection.create(editor.state.doc, range.from, range.to))
        .scrollIntoView(),
    );
    editor.view.focus();
  };

  const isLive = text.isSynced && editor !== null;
  return (
    <>
      <article className="reading-column" aria-label={props.title}>
        {props.instruction && <Instruction text={props.instruction} />}
        <ReadingStatus text={text} seminar={seminar} viewer={viewer} />
        {props.closed && (
          <div className={`live-banner${props.closed.isFinal ? " live-banner-final" : ""}`} role="alert">
            {props.closed.message}
            {props.closed.offersSignIn && (
              <>
                {" "}
                <Link href={signInUrl(window.location.pathname)}>Sign in again</Link>
              </>
            )}
          </div>
        )}
        <div className="reading-help" id="reading-help">
          <span>Select a passage to annotate it, or place the caret and</span>
          <button
            type="button"
            className="button-link"
            disabled={!isLive}
            onClick={() => editor && selectRange(sentenceRange(editor.state))}
          >
            Select sentence
          </button>
          <button
            type="button"
            className="button-link"
            disabled={!isLive}
            onClick={() => editor && selectRange(paragraphRange(editor.state))}
          >
            Select paragraph
          </button>
          <ShortcutsDialog />
        </div>
        {notice && (
          <p className="reading-notice" role="status">
            {notice}
          </p>
        )}
        <div hidden={!isLive} className="live-text" data-live={isLive ? "true" : "false"}>
          <EditorContent editor={editor} />
        </div>
        {!isLive && props.children}
        {editor && isLive && (
          <SelectionToolbar
            editor={editor}
            categories={categories}
            canGuide={can.guide}
            onHighlight={highlight}
            onComment={() => startDraft("COMMENT")}
            onNote={() => startDraft("NOTE")}
            onQuestion={() => startDraft("GUIDING_QUESTION")}
          />
        )}
      </article>
      <aside className="margin-column" aria-label="Margin">
        <Margin
          threads={threads}
          categories={categories}
          ranges={ranges}
          filter={filter}
          onFilterChange={setFilter}
          me={me}
          can={{ moderate: can.moderate, guide: can.guide }}
          activeId={activeId}
          onActivate={activate}
          actions={actions}
          draft={draft}
          draftError={draftError}
          isDraftPending={false}
          onDraftSubmit={submitDraft}
          onDraftCancel={() => setDraft(null)}
          topOf={topOf}
          layoutVersion={layoutVersion}
          categoryTools={
            can.moderate ? <CategoriesDialog seminarId={props.seminarId} categories={categories} /> : null
          }
        />
      </aside>
    </>
  );
}

/** Who is reading now, and whether the page is live. */
function ReadingStatus({
  text,
  seminar,
  viewer,
}: {
  text: RoomState;
  seminar: RoomState;
  viewer: { id: string };
}) {
  const [present, setPresent] = useState<Present[]>([]);
  const awareness = seminar.provider.awareness;
  useEffect(() => {
    const refresh = () => setPresent(presentUsers(awareness, viewer.id));
    refresh();
    awareness.on("change", refresh);
    return () => awareness.off("change", refresh);
  }, [awareness, viewer.id]);

  const isLive = text.isSynced && seminar.isSynced;
  const others = present.filter((person) => !person.isMe);
  return (
    <div className="reading-status">
      <span className={`live-dot${isLive ? " live-dot-on" : ""}`} role="status" aria-live="polite">
        {isLive ? "Live" : text.closed?.isFinal ? "Offline" : "Connecting…"}
      </span>
      <section className="presence" aria-label="Reading now">
        <ul className="presence-list">
          {others.map((person) => (
            <li
              key={person.id}
              className="presence-person"
              title={person.role === "INSTRUCTOR" ? `${person.name} (instructor)` : person.name}
            >
              <span
                className="avatar presence-avatar"
                style={{ boxShadow: `0 0 0 2px ${person.color}` }}
                aria-hidden="true"
              >
                {initials(person.name)}
              </span>
              <span className="presence-name">{person.name}</span>
            </li>
          ))}
        </ul>
        <span className="presence-summary">
          {others.length === 0
            ? "Only you are reading now"
            : `${others.length} ${others.length === 1 ? "other is" : "others are"} reading now`}
        </span>
      </section>
    </div>
  );
}
