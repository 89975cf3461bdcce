"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import type { PassagePreview } from "@/lib/shared/annotations/passage-preview";
import { useRoom } from "@/lib/client/collab/use-room";
import { MentionCandidatesContext, type MentionCandidate } from "./mention-candidates";
import { Instruction } from "./reading-instruction";
// The type alone: the module itself is loaded with import() below.
import type { LiveWorkspace as LiveWorkspaceComponent } from "./live-workspace";

const NO_MEMBERS: readonly MentionCandidate[] = [];

export type LiveReadingProps = {
  seminarId: string;
  documentId: string;
  /** `text:<documentId>` */
  textRoom: string;
  /**
   * `seminar:<seminarId>:<documentId>`: shared annotations, presence; or, for a student
   * who must post first, their own `view:` room of the reading (docs/adr/0019).
   */
  seminarRoom: string;
  /** The seminar room is the reader's view room: show the gate, reload when it opens. */
  mustPostFirst: boolean;
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
  /** The seminar's members, offered after `@` in comments. */
  members?: readonly MentionCandidate[];
  /** The seminar's tags the reader may see, most used first, offered after `#` (with those in the margin). */
  tags?: readonly string[];
  /** The server-rendered text, shown until the live text has synced. */
  children: ReactNode;
  /** The reading's first threads, server-rendered, shown in the margin until its live cards are placed. */
  marginPreview?: ReactNode;
  /** The first screen's passages, read by the server, drawn in the live text until the seminar room syncs. */
  firstPassages?: readonly PassagePreview[];
};

/**
 * The live page's code (the editor, the margin, the reader's tools: most of the page's script)
 * is a chunk of its own, loaded while the page hydrates and the rooms connect: evaluating it is a
 * task of its own, not part of the page's start (docs/adr/0034).
 */
type Workspace = typeof LiveWorkspaceComponent;
let workspaceLoad: Promise<Workspace> | null = null;
function loadWorkspace(): Promise<Workspace> {
  workspaceLoad ??= import("./editor-stack")
    .then(nextTask)
    .then(() => import("./live-workspace"))
    .then((module) => module.LiveWorkspace)
    .catch((error: unknown) => {
      // Not kept: a later page (a reload, the next reading) asks again.
      workspaceLoad = null;
      throw error;
    });
  return workspaceLoad;
}
// In the browser, fetched from the moment this module runs (before the page hydrates), beside the
// rooms' connections; not on the server, which never renders the live page.
if (typeof window !== "undefined") void loadWorkspace().catch(() => {});

type WorkspaceLoad = { component: Workspace } | { hasFailed: true } | null;

/** The live page's component once its code has loaded; whether it could not load. */
function useWorkspace(): WorkspaceLoad {
  const [workspace, setWorkspace] = useState<WorkspaceLoad>(null);
  useEffect(() => {
    let isCurrent = true;
    loadWorkspace().then(
      (component) => isCurrent && setWorkspace({ component }),
      () => isCurrent && setWorkspace({ hasFailed: true }),
    );
    return () => {
      isCurrent = false;
    };
  }, []);
  return workspace;
}

/** Resolves in a task of its own, after what the browser has queued meanwhile (input, frames). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A random 32-bit Yjs client id, shared by this page's rooms. */
function newClientId(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] as number;
}

/** The reading page: the live text, what the seminar wrote about it, and the reader's own notes. */
export function LiveReading(props: LiveReadingProps) {
  const [clientId] = useState(newClientId);
  const text = useRoom(props.textRoom, { clientId });
  // Written by the server alone (annotations and comments go through the API).
  const seminar = useRoom(props.seminarRoom, { clientId, isReceiveOnly: true });
  // The notes room gets its own client id: the reader writes there.
  const notes = useRoom(props.notesRoom);
  const router = useRouter();
  const closed = text?.closed ?? seminar?.closed ?? notes?.closed ?? null;

  const workspace = useWorkspace();
  const LiveWorkspace = workspace && "component" in workspace ? workspace.component : null;
  // The margin column, where the live page places its margin (a portal: see below).
  const [marginColumn, setMarginColumn] = useState<HTMLElement | null>(null);
  const [isTextLive, setTextLive] = useState(false);

  useEffect(() => {
    if (closed?.shouldRefresh) router.refresh();
  }, [closed, router]);

  // The server's text stays here: the live page renders before it, and says when it has its own.
  const { children: serverText, ...workspaceProps } = props;
  const live =
    text && seminar && notes && LiveWorkspace && marginColumn
      ? { Workspace: LiveWorkspace, text, seminar, notes, marginColumn }
      : null;
  return (
    <MentionCandidatesContext.Provider value={props.members ?? NO_MEMBERS}>
      <div className="reading-layout">
        {/* The columns and the server's text are this component's, not the live page's: when the
            live page mounts, the text the reader is looking at stays the same elements (mounted
            by the live page, React would build all of the text's elements again, and the browser
            lay the page out again, in the task that mounts it). The live page renders into the
            text column before the server's text, and into the margin column through a portal. */}
        <article className="reading-column" id="reading-column" aria-label={props.title}>
          {live ? (
            // The module's export, one component for the page's life. Not React.lazy: its Suspense
            // fallback would mount a second copy of the server's text while the code loads.
            <live.Workspace
              {...workspaceProps}
              text={live.text}
              seminar={live.seminar}
              notes={live.notes}
              closed={closed}
              marginColumn={live.marginColumn}
              onLiveChange={setTextLive}
            />
          ) : (
            <>
              {workspace && "hasFailed" in workspace && (
                <div className="live-banner live-banner-final live-banner-action" role="alert">
                  <span>
                    The live page could not load, so nothing new appears here and nothing can be written.
                    Check your connection, then reload.
                  </span>
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => window.location.reload()}
                  >
                    Reload the page
                  </button>
                </div>
              )}
              {props.instruction && <Instruction text={props.instruction} />}
            </>
          )}
          {!isTextLive && serverText}
        </article>
        <aside className="margin-column" id="margin-column" aria-label="Margin" ref={setMarginColumn}>
          {!live && <div className="margin">{props.marginPreview}</div>}
        </aside>
      </div>
    </MentionCandidatesContext.Provider>
  );
}
