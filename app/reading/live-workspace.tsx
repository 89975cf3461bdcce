"use client";

import Collaboration from "@tiptap/extension-collaboration";
import { TextSelection } from "@tiptap/pm/state";
import { EditorContent, useEditor } from "@tiptap/react";
import Link from "next/link";
import { startTransition, useCallback, useEffect, useLayoutEffect, useMemo, useState } from "react";
import { createPortal } from "react-dom";
import { createAnchor, type StoredAnchor } from "@/lib/shared/anchors/anchor";
import type { CommentBody } from "@/lib/shared/comments/comment-body";
import { ROOT_TYPES } from "@/lib/shared/rooms";
import { readingExtensions } from "@/lib/shared/schema/reading-extensions";
import { signInUrl } from "@/lib/shared/urls";
import { newId } from "@/lib/client/annotations/ids";
import { latestAfterNextFrame } from "@/lib/client/after-next-frame";
import { useStepsInTasks } from "@/lib/client/use-steps-in-tasks";
import {
  DEFAULT_FILTER,
  isVisible,
  threadTags,
  type MarginFilter,
  type Thread,
} from "@/lib/shared/annotations/threads";
import { sortTags } from "@/lib/shared/comments/tags";
import { previewColors, previewThreads } from "@/lib/shared/annotations/passage-preview";
import { createPrivateNote } from "@/lib/client/annotations/private-notes";
import { revealElement } from "@/lib/client/annotations/scroll";
import { passageWords } from "@/lib/shared/annotations/passage-words";
import { useAnnotationWrites } from "@/lib/client/annotations/use-annotation-writes";
import { useHashFocus } from "@/lib/client/annotations/use-hash-focus";
import { useKeyboardFlow } from "@/lib/client/annotations/use-keyboard-flow";
import { useThreadActions } from "@/lib/client/annotations/use-thread-actions";
import { useThreads } from "@/lib/client/annotations/use-threads";
import type { RoomState } from "@/lib/client/collab/use-room";
import {
  AnnotationLayer,
  annotationLayerKey,
  annotationsAt,
  type ResolvedRange,
} from "@/lib/client/editor/annotation-layer";
import { FootnoteLinks } from "@/lib/client/editor/footnote-links";
import { FootnoteReferenceWithPopover } from "@/lib/client/editor/footnote-popover";
import { GuardedCollaborationCaret } from "@/lib/client/editor/guarded-carets";
import {
  paragraphRange,
  READING_COMMAND_EVENT,
  ReadingCommands,
  sentenceRange,
  type ReadingCommand,
} from "@/lib/client/editor/reading-commands";
import { ReadOnlyText } from "@/lib/client/editor/read-only-text";
import type { Draft } from "./draft-card";
import { Margin } from "./margin";
import { usePassageGeometry } from "./passage-geometry";
import { LiveAnnouncer } from "./live-announcer";
import { PhoneSheet, usePhoneSheet } from "./phone-sheet";
import { PostFirstGateNotice } from "./post-first-gate";
import { CategoriesDialog, ShortcutsDialog } from "./reading-dialogs";
import { connectionStatus, ReadingStatus } from "./reading-status";
import { SelectionToolbar } from "./selection-toolbar";
import { TagSuggestionsContext } from "./tag-suggestions";
import { createUnsentWords, UnsentWordsContext } from "./unsent-words";
import type { LiveReadingProps } from "./live-reading";
import { Instruction } from "./reading-instruction";

const NO_TAGS: readonly string[] = [];

/** The steps of the live text's first render, in order, each in a task of its own (below). */
const FIRST_RENDER_STEPS = { layer: 1, toolbar: 2, text: 3 } as const;

/** What `LiveReading` hands on; not the server's text, which stays `LiveReading`'s to show. */
type WorkspaceProps = Omit<LiveReadingProps, "children"> & {
  text: RoomState;
  seminar: RoomState;
  notes: RoomState;
  closed: RoomState["closed"];
  /** The page's margin column (live-reading.tsx's), where the margin is rendered. */
  marginColumn: HTMLElement;
  /** Told whether the live text shows: until it does, live-reading.tsx shows the server's. */
  onLiveChange: (isLive: boolean) => void;
};

/** The card of a thread in the margin (margin.tsx marks each with its id). */
function marginCardOf(id: string): Element | null {
  return document.querySelector(`.margin [data-thread-id="${CSS.escape(id)}"]`);
}

/** The card of a draft in the margin (margin.tsx marks it `draft:<id>`). */
function draftCardOf(draftId: string): Element | null {
  return document.querySelector(`.margin [data-card-id="${CSS.escape(`draft:${draftId}`)}"]`);
}

/** The live page once its rooms are open: the editor, the margin, the reader's tools. */
export function LiveWorkspace(props: WorkspaceProps) {
  const { text, seminar, notes, viewer, can } = props;
  const [filter, setFilter] = useState<MarginFilter>(DEFAULT_FILTER);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [hoverIds, setHoverIds] = useState<string[]>([]);
  const [ranges, setRanges] = useState<Map<string, ResolvedRange>>(new Map());
  const [draft, setDraft] = useState<(Draft & { anchor: StoredAnchor }) | null>(null);
  const [draftError, setDraftError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const me = useMemo(() => ({ id: viewer.id, name: viewer.name }), [viewer.id, viewer.name]);
  /** The reader as the author of what they write now (the server stores the role it knows). */
  const author = useMemo(
    () => ({ id: viewer.id, name: viewer.name, role: can.guide ? "INSTRUCTOR" : "STUDENT" }),
    [viewer.id, viewer.name, can.guide],
  );
  const writes = useAnnotationWrites({
    seminarId: props.seminarId,
    documentId: props.documentId,
    seminarDoc: seminar.doc,
    author,
  });
  const { createThread } = writes;
  const { threads, categories, loadThread, isCaughtUp } = useThreads({
    seminarDoc: seminar.doc,
    isSeminarSynced: seminar.isSynced,
    notesDoc: notes.doc,
    me,
    pending: writes.pending,
  });
  const actions = useThreadActions(writes, notes.doc, loadThread);
  // Replies and edits being written, for whichever card shows them (unsent-words.ts).
  const [unsentWords] = useState(createUnsentWords);
  const activeId = hoverIds[0] ?? focusId;
  // The server's list as the page loaded, then any tag that has reached the margin since.
  const serverTags = props.tags ?? NO_TAGS;
  const tagSuggestions = useMemo(
    () => [...new Set([...serverTags, ...sortTags(threads.flatMap(threadTags))])],
    [serverTags, threads],
  );

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
        // Carets of the text's readers, published through the seminar room's presence (ADR 0006);
        // a remote state of the wrong shape is skipped, never rendered (guarded-carets.ts).
        GuardedCollaborationCaret.configure({
          provider: { awareness: seminar.provider.awareness },
          user: { name: viewer.name, color: "#8a3b12" },
        }),
        ReadOnlyText.configure({ isReadOnly: !can.editText }),
        FootnoteLinks,
        AnnotationLayer.configure({
          ydoc: text.doc,
          fragment: text.doc.getXmlFragment(ROOT_TYPES.text),
          // The margin follows after the browser has drawn the new highlights, in a
          // transition: placing cards reads their passages' tops, and read in the task that
          // drew thousands of highlights, that read laid the whole text out again at once
          // (at 10,000 threads the two made one task of ~600 ms).
          onResolved: latestAfterNextFrame((next) => startTransition(() => setRanges(new Map(next)))),
          onHover: (ids) => setHoverIds(ids),
        }),
        ReadingCommands,
      ],
      editorProps: {
        attributes: {
          class: "reading-text reading-editor",
          role: "document",
          "aria-label": props.title,
          "aria-describedby": "reading-help",
          spellcheck: String(can.editText),
        },
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

  // The live text's first render, a task for each step after the editor's creation (itself a task,
  // useEditor's effect): the layer's first drawing and the selection toolbar (it reconfigures the
  // editor's plugins) while the live text is still hidden and the server's text shows, then the
  // live text shown (its layout, the margin's first placement). In one task, the editor's
  // creation and all of these were the page's longest (docs/adr/0034).
  const firstRenderStep = useStepsInTasks(editor !== null, FIRST_RENDER_STEPS.text);

  // Feed the layer what to draw: the threads the filters show, their colours, the one in focus.
  const colors = useMemo(
    () => Object.fromEntries(categories.map((category) => [category.id, category.color])),
    [categories],
  );
  const visibleThreads = useMemo(
    () => threads.filter((thread) => isVisible(thread, filter, me.id)),
    [threads, filter, me.id],
  );
  // Until the seminar room first syncs and its threads are read, the server's first-screen
  // passages are drawn beside the reader's own notes (the room can take seconds with thousands
  // of threads, and reading them is done in slices after the sync); then the room's.
  const passages = props.firstPassages;
  const [hasSeminarSynced, setSeminarSynced] = useState(false);
  if (seminar.isSynced && isCaughtUp && !hasSeminarSynced) setSeminarSynced(true);
  const layerInput = useMemo(() => {
    if (hasSeminarSynced || !passages || passages.length === 0)
      return { threads: visibleThreads, colors, isPreview: false };
    const own = new Set(visibleThreads.map((thread) => thread.id));
    return {
      threads: [...previewThreads(passages).filter((thread) => !own.has(thread.id)), ...visibleThreads],
      colors: { ...previewColors(passages), ...colors },
      isPreview: true,
    };
  }, [hasSeminarSynced, passages, visibleThreads, colors]);
  const isLayerFed = firstRenderStep >= FIRST_RENDER_STEPS.layer;
  useEffect(() => {
    if (!editor || editor.isDestroyed || !isLayerFed) return;
    editor.view.dispatch(editor.state.tr.setMeta(annotationLayerKey, { ...layerInput, activeId }));
  }, [editor, isLayerFed, layerInput, activeId]);

  // Live once the text room has synced, and from then on through reconnections: y-websocket
  // keeps the doc while it reconnects (the status says so), and hiding the live text for the
  // server's first render would take the margin's cards with it, a reply being written among
  // them (tests/browser/work-in-progress.test.ts).
  const isTextReady = text.isSynced && editor !== null && firstRenderStep >= FIRST_RENDER_STEPS.text;
  const [hasTextBeenLive, setTextBeenLive] = useState(false);
  if (isTextReady && !hasTextBeenLive) setTextBeenLive(true);
  const isLive = isTextReady || (hasTextBeenLive && editor !== null);
  // Before the browser paints: the live text and the server's never show together.
  const { onLiveChange } = props;
  useLayoutEffect(() => onLiveChange(isLive), [isLive, onLiveChange]);
  const { layoutVersion, observeLiveText, topOf, textTop, blockOf } = usePassageGeometry(editor, isLive);

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

  const highlight = useCallback(
    (categoryId: string | null) => {
      const selected = selectionAnchor();
      if (!selected) return;
      createThread({
        id: newId(),
        kind: "HIGHLIGHT",
        anchor: selected.anchor,
        categoryId: categoryId ?? categories[0]?.id ?? null,
        body: null,
      });
      editor?.commands.setTextSelection(selected.to);
    },
    [selectionAnchor, categories, createThread, editor],
  );

  const focusPassage = useCallback(
    (id: string) => {
      const range = ranges.get(id);
      if (!editor || editor.isDestroyed || !range) return false;
      editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, range.from)));
      editor.view.focus();
      const dom = editor.view.domAtPos(range.from).node;
      revealElement(dom instanceof Element ? dom : dom.parentElement);
      return true;
    },
    [editor, ranges],
  );
  const { focusCardWhenShown, revealDraftWhenFocused } = useKeyboardFlow({
    cardOf: marginCardOf,
    draftCardOf,
    focusPassage,
  });

  const startDraft = useCallback(
    (kind: Draft["kind"]) => {
      if (kind === "GUIDING_QUESTION" && !can.guide) return;
      const selected = selectionAnchor();
      if (!selected) return;
      setDraftError(null);
      const id = newId();
      revealDraftWhenFocused(id);
      setDraft({
        id,
        kind,
        from: selected.from,
        to: selected.to,
        quote: selected.quote,
        anchor: selected.anchor,
      });
    },
    [selectionAnchor, can.guide, revealDraftWhenFocused],
  );

  const submitDraft = useCallback(
    (body: CommentBody) => {
      if (!draft) return;
      const { id, kind, anchor } = draft;
      if (kind === "NOTE") createPrivateNote(notes.doc, { id, anchor, body });
      else createThread({ id, kind, anchor, categoryId: null, body });
      setDraft(null);
      setFocusId(id);
      focusCardWhenShown(id);
    },
    [draft, notes.doc, createThread, focusCardWhenShown],
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

  const activate = useCallback(
    (id: string | null) => {
      setFocusId(id);
      const range = id ? ranges.get(id) : null;
      if (!editor || !range) return;
      const dom = editor.view.domAtPos(range.from).node;
      revealElement(dom instanceof Element ? dom : dom.parentElement, "smooth");
    },
    [editor, ranges],
  );

  const sheet = usePhoneSheet(editor);
  // The margin, the phone sheet and the announcements quote each passage as the text
  // reads now (an instructor may have edited its words); the stored quote stays what
  // anchoring falls back on (lib/shared/annotations/passage-words.ts).
  const marginThreads = useMemo(() => {
    void layoutVersion;
    if (!editor || editor.isDestroyed) return threads;
    return threads.map((thread) => {
      const range = ranges.get(thread.id);
      if (!range || range.from >= range.to || range.to > editor.state.doc.content.size) return thread;
      // As the plain text counts it (text-index.ts): blocks apart by a line break, note references no characters.
      const words = passageWords(
        editor.state.doc.textBetween(range.from, range.to, "\n", ""),
        thread.anchor.quote.exact,
      );
      if (words.original === null) return thread;
      return {
        ...thread,
        anchor: { ...thread.anchor, quote: { ...thread.anchor.quote, exact: words.current } },
      };
    });
  }, [threads, ranges, editor, layoutVersion]);

  useHashFocus({
    threads,
    isShown: (thread: Thread) => isVisible(thread, filter, me.id),
    showHidden: () => setFilter({ ...DEFAULT_FILTER, showResolved: true }),
    placed: ranges,
    activate,
    cardOf: marginCardOf,
  });

  // The server's preview of the first threads stays until the live margin can place cards: the
  // seminar room has synced, the text is live, and the layer has anchored what there is. Once
  // placed, it stays placed (a reconnect does not bring the preview back over live cards).
  // "Synced" here is the room synced and its threads read (`hasSeminarSynced`).
  const isMarginReady = hasSeminarSynced && isLive && (visibleThreads.length === 0 || ranges.size > 0);
  const [hasMarginLoaded, setMarginLoaded] = useState(false);
  if (isMarginReady && !hasMarginLoaded) setMarginLoaded(true);
  const isMarginLoaded = hasMarginLoaded || isMarginReady;
  const marginCan = useMemo(() => ({ moderate: can.moderate, guide: can.guide }), [can.moderate, can.guide]);
  const cancelDraft = useCallback(() => setDraft(null), []);

  const selectRange = (range: { from: number; to: number } | null) => {
    if (!editor || !range) return;
    editor.view.dispatch(
      editor.state.tr
        .setSelection(TextSelection.create(editor.state.doc, range.from, range.to))
        .scrollIntoView(),
    );
    editor.view.focus();
  };

  return (
    <TagSuggestionsContext.Provider value={tagSuggestions}>
      <UnsentWordsContext.Provider value={unsentWords}>
        {/* In the text column (live-reading.tsx's), before the server's text. */}
        {props.instruction && <Instruction text={props.instruction} />}
        <LiveAnnouncer
          threads={marginThreads}
          viewerId={viewer.id}
          isSynced={seminar.isSynced && hasSeminarSynced}
        />
        <ReadingStatus
          status={connectionStatus(text, seminar, hasTextBeenLive)}
          awareness={seminar.provider.awareness}
          viewerId={viewer.id}
        />
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
          {/* The text's role (document) allows no aria-readonly, so a reader who
            may not edit hears it in the text's description instead. */}
          {!can.editText && <span className="sr-only">Read-only text. </span>}
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
        <div
          ref={observeLiveText}
          hidden={!isLive}
          className="live-text"
          data-live={isLive ? "true" : "false"}
        >
          <EditorContent editor={editor} />
        </div>
        {editor && firstRenderStep >= FIRST_RENDER_STEPS.toolbar && (
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
        {createPortal(
          <>
            {/* Always there (observed for its height below), whether or not a notice is in it. */}
            <div className="margin-notices">
              {props.mustPostFirst && <PostFirstGateNotice doc={seminar.doc} />}
            </div>
            <Margin
              threads={marginThreads}
              categories={categories}
              ranges={ranges}
              filter={filter}
              onFilterChange={setFilter}
              me={me}
              can={marginCan}
              activeId={activeId}
              onActivate={activate}
              actions={actions}
              draft={draft}
              draftError={draftError}
              isDraftPending={false}
              onDraftSubmit={submitDraft}
              onDraftCancel={cancelDraft}
              topOf={topOf}
              textTop={textTop}
              blockOf={blockOf}
              layoutVersion={layoutVersion}
              isLoaded={isMarginLoaded}
              preview={props.marginPreview}
              categoryTools={
                can.moderate ? <CategoriesDialog seminarId={props.seminarId} categories={categories} /> : null
              }
            />
          </>,
          props.marginColumn,
        )}
        <PhoneSheet
          ids={sheet.ids}
          threads={marginThreads}
          categories={categories}
          me={me}
          can={{ moderate: can.moderate, guide: can.guide }}
          actions={actions}
          onClose={sheet.close}
        />
      </UnsentWordsContext.Provider>
    </TagSuggestionsContext.Provider>
  );
}
