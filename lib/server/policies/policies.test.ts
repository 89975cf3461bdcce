import { describe, expect, it } from "vitest";
import {
  commentPolicy,
  documentPolicy,
  privateNotesPolicy,
  roomCapabilities,
  seminarPolicy,
  type Actor,
  type DocumentAccess,
  type SeminarAccess,
} from "./index";

const ME = "user0000001";
const OTHER = "user0000002";

/** The four kinds of people the product knows, seen from one seminar. */
const people = {
  instructor: { actor: { userId: ME }, role: "INSTRUCTOR" },
  student: { actor: { userId: ME }, role: "STUDENT" },
  "non-member": { actor: { userId: ME }, role: null },
  "signed out": { actor: null, role: null },
} satisfies Record<string, SeminarAccess>;
type Person = keyof typeof people;
const order: Person[] = ["instructor", "student", "non-member", "signed out"];

/** Expected answers, one column per person in `order`. */
const seminarTable: [action: string, check: (access: SeminarAccess) => boolean, expected: boolean[]][] = [
  ["view the seminar", seminarPolicy.view, [true, true, false, false]],
  ["assign readings", seminarPolicy.assignReadings, [true, false, false, false]],
  ["manage members", seminarPolicy.manageMembers, [true, false, false, false]],
  ["leave", seminarPolicy.leave, [true, true, false, false]],
  ["annotate", seminarPolicy.annotate, [true, true, false, false]],
  ["write guiding questions", seminarPolicy.guide, [true, false, false, false]],
  ["moderate", seminarPolicy.moderate, [true, false, false, false]],
  ["review threads", seminarPolicy.review, [true, true, false, false]],
  ["view participation", seminarPolicy.viewParticipation, [true, false, false, false]],
  ["export", seminarPolicy.export, [true, true, false, false]],
  ["take snapshots", seminarPolicy.snapshot, [true, false, false, false]],
  ["grade", seminarPolicy.grade, [true, false, false, false]],
  ["view own score", seminarPolicy.viewOwnScore, [true, true, false, false]],
  ["edit own comment", (a) => commentPolicy.edit(a, ME), [true, true, false, false]],
  ["edit another's comment", (a) => commentPolicy.edit(a, OTHER), [false, false, false, false]],
  ["delete own comment", (a) => commentPolicy.delete(a, ME), [true, true, false, false]],
  ["delete another's comment", (a) => commentPolicy.delete(a, OTHER), [true, false, false, false]],
  ["hide a comment", commentPolicy.hide, [true, false, false, false]],
  ["read a hidden comment's words", commentPolicy.readHidden, [true, false, false, false]],
  ["resolve own thread", (a) => commentPolicy.resolve(a, ME), [true, true, false, false]],
  ["resolve another's thread", (a) => commentPolicy.resolve(a, OTHER), [true, false, false, false]],
];

describe.each(seminarTable)("may each person %s?", (_action, check, expected) => {
  it.each(order.map((person, index) => [person, expected[index]] as const))("%s: %s", (person, answer) => {
    expect(check(people[person])).toBe(answer);
  });
});

/** A non-public document, seen by each person through the seminar that assigns it. */
function documentAccess(person: Person, isPublic = false): DocumentAccess {
  const { actor, role } = people[person];
  return { actor, isPublic, ownerId: null, assigningRoles: role ? [role] : [] };
}

/** An uploaded text owned by `ownerId`, seen by each person through a seminar that assigns it. */
function uploadedAccess(person: Person, ownerId: string): DocumentAccess {
  return { ...documentAccess(person), ownerId };
}

const documentTable: [
  action: string,
  check: (access: DocumentAccess) => boolean,
  expected: boolean[],
  isPublic: boolean,
][] = [
  ["view an assigned text", documentPolicy.view, [true, true, false, false], false],
  ["view a library text", documentPolicy.view, [true, true, true, true], true],
  // A text without an owner (the library) is edited by nobody, not even an assigning instructor:
  // they edit a seminar copy (docs/adr/0026).
  ["edit an assigned text without an owner", documentPolicy.edit, [false, false, false, false], false],
  ["edit a library text", documentPolicy.edit, [false, false, false, false], true],
  [
    "write private notes on an assigned text",
    documentPolicy.writePrivateNotes,
    [true, true, false, false],
    false,
  ],
  [
    "write private notes on a library text",
    documentPolicy.writePrivateNotes,
    [true, true, true, false],
    true,
  ],
];

describe.each(documentTable)("may each person %s?", (_action, check, expected, isPublic) => {
  it.each(order.map((person, index) => [person, expected[index]] as const))("%s: %s", (person, answer) => {
    expect(check(documentAccess(person, isPublic))).toBe(answer);
  });
});

describe("library texts", () => {
  it.each(order.map((person, index) => [person, [true, false, false, false][index]] as const))(
    "a library text read by the seminar: %s may replace it by a seminar copy: %s",
    (person, expected) => {
      expect(documentPolicy.copyForSeminar(documentAccess(person, true), people[person])).toBe(expected);
    },
  );

  it("an uploaded text is never copied this way, even by its owner (they edit it)", () => {
    expect(documentPolicy.copyForSeminar(uploadedAccess("instructor", ME), people.instructor)).toBe(false);
    expect(documentPolicy.copyForSeminar(uploadedAccess("instructor", OTHER), people.instructor)).toBe(false);
  });
});

describe("uploaded texts", () => {
  it.each(order.map((person, index) => [person, [true, true, false, false][index]] as const))(
    "someone else's upload assigned to the seminar: %s views %s, nobody edits",
    (person, canView) => {
      expect(documentPolicy.view(uploadedAccess(person, OTHER))).toBe(canView);
      expect(documentPolicy.edit(uploadedAccess(person, OTHER))).toBe(false);
      expect(documentPolicy.assignWithoutCopy(uploadedAccess(person, OTHER))).toBe(false);
    },
  );

  it("the owner views, edits and assigns their upload without being in any seminar", () => {
    const access: DocumentAccess = {
      actor: { userId: ME },
      isPublic: false,
      ownerId: ME,
      assigningRoles: [],
    };
    expect(documentPolicy.view(access)).toBe(true);
    expect(documentPolicy.edit(access)).toBe(true);
    expect(documentPolicy.assignWithoutCopy(access)).toBe(true);
  });

  it("an unassigned upload is nobody else's business", () => {
    const stranger: DocumentAccess = {
      actor: { userId: ME },
      isPublic: false,
      ownerId: OTHER,
      assigningRoles: [],
    };
    expect(documentPolicy.view(stranger)).toBe(false);
    expect(documentPolicy.view({ ...stranger, actor: null })).toBe(false);
  });
});

describe("rooms", () => {
  const documentId = "doc00000001";
  const seminarId = "sem00000001";

  it.each(order.map((person, index) => [person, [true, true, false, false][index]] as const))(
    "text room of someone else's text assigned to the seminar: %s reads %s, nobody writes",
    (person, canRead) => {
      expect(
        roomCapabilities({ room: { kind: "text", documentId }, document: uploadedAccess(person, OTHER) }),
      ).toEqual({ canRead, canWrite: false });
    },
  );

  it("text room of one's own text: the owner reads and writes", () => {
    const document: DocumentAccess = {
      actor: { userId: ME },
      isPublic: false,
      ownerId: ME,
      assigningRoles: [],
    };
    expect(roomCapabilities({ room: { kind: "text", documentId }, document })).toEqual({
      canRead: true,
      canWrite: true,
    });
  });

  it.each(order.map((person) => [person] as const))(
    "text room of a library text: %s reads it and nobody writes",
    (person) => {
      expect(
        roomCapabilities({ room: { kind: "text", documentId }, document: documentAccess(person, true) }),
      ).toEqual({ canRead: true, canWrite: false });
    },
  );

  it.each(order.map((person, index) => [person, [true, true, false, false][index]] as const))(
    "seminar room: %s reads %s and never writes (the server does)",
    (person, canRead) => {
      const room = { kind: "seminar" as const, seminarId, documentId };
      expect(
        roomCapabilities({ room, seminar: people[person], isAssigned: true, mustPostFirst: false }),
      ).toEqual({ canRead, canWrite: false });
    },
  );

  it("seminar room: a student who must post first does not read it", () => {
    const room = { kind: "seminar" as const, seminarId, documentId };
    expect(
      roomCapabilities({ room, seminar: people.student, isAssigned: true, mustPostFirst: true }),
    ).toEqual({ canRead: false, canWrite: false });
  });

  it.each([
    ["its owner", ME, true],
    ["another member, even an instructor", OTHER, false],
  ] as const)("view room: %s reads it (%s) and nobody writes", (_who, userId, canRead) => {
    const room = { kind: "view" as const, seminarId, documentId, userId: ME };
    const seminar = { actor: { userId }, role: "STUDENT" as const };
    expect(roomCapabilities({ room, seminar, isAssigned: true })).toEqual({ canRead, canWrite: false });
    expect(roomCapabilities({ room, seminar, isAssigned: false })).toEqual({
      canRead: false,
      canWrite: false,
    });
  });

  it("seminar room of a document the seminar does not assign: nobody reads", () => {
    const room = { kind: "seminar" as const, seminarId, documentId };
    expect(
      roomCapabilities({ room, seminar: people.instructor, isAssigned: false, mustPostFirst: false }),
    ).toEqual({
      canRead: false,
      canWrite: false,
    });
  });

  const notesTable: [who: string, actor: Actor, expected: boolean][] = [
    ["its owner", { userId: ME }, true],
    ["another member, even an instructor", { userId: OTHER }, false],
    ["someone signed out", null, false],
  ];
  it.each(notesTable)("notes room: %s reads and writes: %s", (_who, actor, expected) => {
    const room = { kind: "notes" as const, documentId, userId: ME };
    const document: DocumentAccess = {
      actor,
      isPublic: false,
      ownerId: null,
      assigningRoles: actor ? ["INSTRUCTOR"] : [],
    };
    expect(roomCapabilities({ room, document })).toEqual({ canRead: expected, canWrite: expected });
    expect(privateNotesPolicy.read(actor, ME)).toBe(expected);
  });
});
