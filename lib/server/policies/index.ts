/**
 * Every "may this user do this to that?" of the product, as small pure
 * functions over facts (loaded by ./load-access.ts). Route handlers, pages and
 * the collab server all ask here, as Outline's policies serve both its API
 * and its collaboration server.
 */
import type { Room } from "@/lib/shared/rooms";

/** A member's role in a seminar. */
export type SeminarRole = "INSTRUCTOR" | "STUDENT";

/** The signed-in user, or null when signed out. */
export type Actor = { userId: string } | null;

/** What the policies need to know about a user and a seminar. */
export type SeminarAccess = {
  /** Who is asking. */
  actor: Actor;
  /** The actor's role in the seminar; null when not a member (or signed out). */
  role: SeminarRole | null;
};

/** What the policies need to know about a user and a document. */
export type DocumentAccess = {
  /** Who is asking. */
  actor: Actor;
  /** A library text anyone may read. */
  isPublic: boolean;
  /** The uploader of the text; null for library texts (docs/adr/0014). */
  ownerId: string | null;
  /** The actor's roles in the seminars that assign this document as a reading. */
  assigningRoles: SeminarRole[];
};

const isMember = (access: SeminarAccess) => access.actor !== null && access.role !== null;
const isInstructor = (access: SeminarAccess) => access.actor !== null && access.role === "INSTRUCTOR";

/** Seminar policies. */
export const seminarPolicy = {
  /** See the seminar, its readings, members and shared discussion. */
  view: isMember,
  /** Add, edit and remove readings. */
  assignReadings: isInstructor,
  /** See and regenerate the invite link, promote and remove members. */
  manageMembers: isInstructor,
  /** Leave the seminar. */
  leave: isMember,
  /** Highlight and comment in the seminar's shared layer. */
  annotate: isMember,
  /** Write guiding questions and pin them. */
  guide: isInstructor,
  /** Hide or delete anyone's comment; edit categories. */
  moderate: isInstructor,
  /** Review the seminar's threads. */
  review: isMember,
  /** See the participation panel (per-member activity). */
  viewParticipation: isInstructor,
  /** Export the seminar's shared annotations. */
  export: isMember,
  /** Take discussion snapshots. */
  snapshot: isInstructor,
  /** Set rubrics, see everyone's score, override scores, download the gradebook. */
  grade: isInstructor,
  /** See one's own participation score. */
  viewOwnScore: isMember,
};

const isOwner = (access: DocumentAccess) => access.actor !== null && access.actor.userId === access.ownerId;

/** Document policies. */
export const documentPolicy = {
  /** Read the text: anyone for a library text; else its owner and members of seminars assigning it. */
  view: (access: DocumentAccess) =>
    access.isPublic || isOwner(access) || (access.actor !== null && access.assigningRoles.length > 0),
  /**
   * Edit the text live: its owner alone. Anyone else who wants to change it
   * makes a seminar copy of their own: by assigning an uploaded text
   * (docs/adr/0014), or with "Edit a copy for this seminar" on a library
   * text, which has no owner and is edited by nobody (content/texts is its
   * source; docs/adr/0026).
   */
  edit: (access: DocumentAccess) => access.ownerId !== null && isOwner(access),
  /**
   * Replace the seminar's reading of this text by a copy of one's own
   * (docs/adr/0026): a library text, for an instructor of a seminar that assigns
   * it. (An uploaded text of someone else's is copied when assigned.)
   */
  copyForSeminar: (access: DocumentAccess, seminar: SeminarAccess) =>
    access.ownerId === null && isInstructor(seminar),
  /** Keep private notes on it. */
  writePrivateNotes: (access: DocumentAccess) => access.actor !== null && documentPolicy.view(access),
  /** Assign it to a seminar as it is, without a copy: its owner, or anyone for an unowned text. */
  assignWithoutCopy: (access: DocumentAccess) => access.ownerId === null || isOwner(access),
};

/** Comment and thread policies; `authorId` is the comment's or annotation's author. */
export const commentPolicy = {
  /** Change the words of a comment: its author only. */
  edit: (access: SeminarAccess, authorId: string) => isMember(access) && access.actor?.userId === authorId,
  /** Delete a comment: its author, or an instructor (moderation). */
  delete: (access: SeminarAccess, authorId: string) =>
    isMember(access) && (access.actor?.userId === authorId || isInstructor(access)),
  /** Hide a comment from students: instructors. */
  hide: isInstructor,
  /** Read the words of a hidden comment (marked hidden): instructors, who may need them to decide. */
  readHidden: isInstructor,
  /** Resolve or reopen a thread: its author or an instructor. */
  resolve: (access: SeminarAccess, authorId: string) =>
    isMember(access) && (access.actor?.userId === authorId || isInstructor(access)),
};

/** Private notes are their owner's alone. */
export const privateNotesPolicy = {
  /** Read `ownerId`'s private notes. */
  read: (actor: Actor, ownerId: string) => actor !== null && actor.userId === ownerId,
};

/** What a connection may do in a room. */
export type RoomCapabilities = {
  /** Receive the room's state and updates. */
  canRead: boolean;
  /** Send updates (sync step 2, update messages). */
  canWrite: boolean;
};

/** Facts about a room's subject, as loaded for a connection. */
export type RoomAccess =
  | { room: Extract<Room, { kind: "text" }>; document: DocumentAccess }
  | {
      room: Extract<Room, { kind: "seminar" }>;
      seminar: SeminarAccess;
      isAssigned: boolean;
      /** A student who must post first on this reading (docs/adr/0019): classmates' threads stay out. */
      mustPostFirst: boolean;
    }
  | { room: Extract<Room, { kind: "notes" }>; document: DocumentAccess }
  | { room: Extract<Room, { kind: "view" }>; seminar: SeminarAccess; isAssigned: boolean };

/** The collab server's question: may this connection read or write this room? */
export function roomCapabilities(access: RoomAccess): RoomCapabilities {
  switch (access.room.kind) {
    case "text": {
      const { document } = access as Extract<RoomAccess, { room: { kind: "text" } }>;
      return { canRead: documentPolicy.view(document), canWrite: documentPolicy.edit(document) };
    }
    case "seminar": {
      const { seminar, isAssigned, mustPostFirst } = access as Extract<
        RoomAccess,
        { room: { kind: "seminar" } }
      >;
      // The server alone writes seminar rooms (docs/architecture.md §2): members read, except
      // students who must post first: the room holds classmates' threads (docs/adr/0019).
      return { canRead: isAssigned && seminarPolicy.view(seminar) && !mustPostFirst, canWrite: false };
    }
    case "notes": {
      const { document, room } = access as Extract<RoomAccess, { room: { kind: "notes" } }>;
      const isOwner =
        privateNotesPolicy.read(document.actor, room.userId) && documentPolicy.writePrivateNotes(document);
      return { canRead: isOwner, canWrite: isOwner };
    }
    case "view": {
      const { seminar, isAssigned, room } = access as Extract<RoomAccess, { room: { kind: "view" } }>;
      // One member's view of the reading, written by the server: its owner reads it.
      const isOwner = seminar.actor !== null && seminar.actor.userId === room.userId;
      return { canRead: isOwner && isAssigned && seminarPolicy.view(seminar), canWrite: false };
    }
  }
}
