"use client";

import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { presentUsers, type Present } from "@/lib/client/collab/presence";
import { useRoom, type RoomState } from "@/lib/client/collab/use-room";
import { FootnoteLinks } from "@/lib/client/editor/footnote-links";
import { ReadOnlyText } from "@/lib/client/editor/read-only-text";
import { initials } from "@/lib/shared/names";
import { ROOT_TYPES } from "@/lib/shared/rooms";
import { readingExtensions } from "@/lib/shared/schema/reading-extensions";
import { signInUrl } from "@/lib/shared/urls";

type Props = {
  /** `text:<documentId>` */
  textRoom: string;
  /** `seminar:<seminarId>:<documentId>`: presence and (later) the shared margin. */
  seminarRoom: string;
  /** The reader may edit the text. */
  canEdit: boolean;
  /** The document title, for the editor's accessible name. */
  title: string;
  /** Who is reading. */
  viewer: { id: string; name: string };
  /** The server-rendered text, shown until the live text has synced. */
  children: ReactNode;
};

/** A random 32-bit Yjs client id, shared by this page's rooms. */
function newClientId(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] as number;
}

/** The reading page's live text: the text room in Tiptap, presence and carets from the seminar room. */
export function LiveReading({ textRoom, seminarRoom, canEdit, title, viewer, children }: Props) {
  const [clientId] = useState(newClientId);
  const text = useRoom(textRoom, { clientId });
  const seminar = useRoom(seminarRoom, { clientId });
  const router = useRouter();
  const closed = text?.closed ?? seminar?.closed ?? null;

  useEffect(() => {
    if (closed?.shouldRefresh) router.refresh();
  }, [closed, router]);

  return (
    <>
      <ReadingStatus text={text} seminar={seminar} viewer={viewer} />
      {closed && (
        <div className={`live-banner${closed.isFinal ? " live-banner-final" : ""}`} role="alert">
          {closed.message}
          {closed.offersSignIn && (
            <>
              {" "}
              <Link href={signInUrl(typeof window === "undefined" ? "/" : window.location.pathname)}>
                Sign in again
              </Link>
            </>
          )}
        </div>
      )}
      {text && seminar ? (
        <LiveEditor
          key={`${canEdit}`}
          text={text}
          seminar={seminar}
          canEdit={canEdit}
          title={title}
          viewer={viewer}
        >
          {children}
        </LiveEditor>
      ) : (
        children
      )}
    </>
  );
}

function LiveEditor({
  text,
  seminar,
  canEdit,
  title,
  viewer,
  children,
}: {
  text: RoomState;
  seminar: RoomState;
  canEdit: boolean;
  title: string;
  viewer: { id: string; name: string };
  children: ReactNode;
}) {
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable: true,
      extensions: [
        ...readingExtensions(),
        Collaboration.configure({ document: text.doc, field: ROOT_TYPES.text }),
        // Carets of the text room's readers, published through the seminar room's presence.
        CollaborationCaret.configure({
          provider: { awareness: seminar.provider.awareness },
          user: { name: viewer.name, color: "#8a3b12" },
        }),
        ReadOnlyText.configure({ isReadOnly: !canEdit }),
        FootnoteLinks,
      ],
      editorProps: {
        attributes: {
          class: "reading-text reading-editor",
          role: "document",
          "aria-label": title,
          "aria-readonly": String(!canEdit),
          spellcheck: String(canEdit),
        },
      },
    },
    [text.doc, seminar.provider, canEdit],
  );

  // Until the text room has synced, the server-rendered text stands in (no flash of an empty editor).
  const isLive = text.isSynced && editor !== null;
  return (
    <>
      <div hidden={!isLive} className="live-text" data-live={isLive ? "true" : "false"}>
        <EditorContent editor={editor} />
      </div>
      {!isLive && children}
    </>
  );
}

/** Who is reading now, and whether the page is live. */
function ReadingStatus({
  text,
  seminar,
  viewer,
}: {
  text: RoomState | null;
  seminar: RoomState | null;
  viewer: { id: string };
}) {
  const [present, setPresent] = useState<Present[]>([]);
  const awareness = seminar?.provider.awareness;
  useEffect(() => {
    if (!awareness) return;
    const refresh = () => setPresent(presentUsers(awareness, viewer.id));
    refresh();
    awareness.on("change", refresh);
    return () => awareness.off("change", refresh);
  }, [awareness, viewer.id]);

  const isLive = Boolean(text?.isSynced && seminar?.isSynced);
  const others = useMemo(() => present.filter((person) => !person.isMe), [present]);
  return (
    <div className="reading-status">
      <span className={`live-dot${isLive ? " live-dot-on" : ""}`} role="status" aria-live="polite">
        {isLive ? "Live" : text?.closed?.isFinal ? "Offline" : "Connecting…"}
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
