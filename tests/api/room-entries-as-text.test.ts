/**
 * Rooms hold each thread's entries as their JSON text (docs/adr/0032): the seminar room and
 * every view room, as the API writes them. A room written before, with entries as objects,
 * still reads whole, and each thread's entries become text the next time it is written.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/server/db";
import { loadRoomDoc } from "../../lib/server/realtime/load-room-doc";
import { ensureViewRoom } from "../../lib/server/realtime/view-rooms";
import { writeServerRoom } from "../../lib/server/realtime/write-server-room";
import { updateReading } from "../../lib/server/seminars/update-reading";
import { decodeRoomEntry } from "../../lib/shared/annotations/room-entries";
import { readSeminarThreads } from "../../lib/shared/annotations/threads";
import { ROOT_TYPES, roomName } from "../../lib/shared/rooms";
import { reply, startThread } from "../helpers/discussion";
import { buildSeminar, buildUser } from "../helpers/factories";

type Seminar = Awaited<ReturnType<typeof buildSeminar>>;

const PHRASES = [
  "raging dogs that must be brought down",
  "the savage, the exotic Mexico",
  "the world became a planet with no visa",
];

function seminarRoom(seminar: Seminar) {
  return roomName({ kind: "seminar", seminarId: seminar.id, documentId: seminar.documentId as string });
}

/** The type of every entry of the room's two thread maps, by map. */
async function entryTypes(room: string) {
  const doc = await loadRoomDoc(room);
  try {
    const types = (name: string) => [...doc.getMap<unknown>(name).values()].map((value) => typeof value);
    return { annotations: types(ROOT_TYPES.annotations), comments: types(ROOT_TYPES.comments) };
  } finally {
    doc.destroy();
  }
}

async function threadsOf(room: string) {
  const doc = await loadRoomDoc(room);
  try {
    return readSeminarThreads(doc);
  } finally {
    doc.destroy();
  }
}

describe("room entries as text", () => {
  let seminar: Seminar;
  let ada: Awaited<ReturnType<typeof buildUser>>;
  let ben: Awaited<ReturnType<typeof buildUser>>;
  const threads: string[] = [];

  beforeAll(async () => {
    ada = await buildUser({ name: "Ada Author" });
    ben = await buildUser({ name: "Ben Reader" });
    seminar = await buildSeminar({ students: [ada, ben] });
    for (const [i, phrase] of PHRASES.entries())
      threads.push(
        await startThread(i === 0 ? ada : ben, seminar, { kind: "COMMENT", phrase, text: `words ${i}` }),
      );
  });

  it("the seminar room and a view room hold every thread's entries as their JSON text", async () => {
    expect(await entryTypes(seminarRoom(seminar))).toEqual({
      annotations: ["string", "string", "string"],
      comments: ["string", "string", "string"],
    });
    const doc = await loadRoomDoc(seminarRoom(seminar));
    try {
      const first = doc.getMap<unknown>(ROOT_TYPES.annotations).get(threads[0] as string);
      expect(typeof first).toBe("string");
      expect(decodeRoomEntry(first)).toMatchObject({ id: threads[0], authorId: ada.id, kind: "COMMENT" });
    } finally {
      doc.destroy();
    }

    // A view room (post first, then see): what Ada may see, also as text.
    const documentId = seminar.documentId as string;
    const reading = await db.reading.findFirstOrThrow({ where: { seminarId: seminar.id, documentId } });
    await updateReading({ userId: seminar.instructor.id }, seminar.id, reading.id, { postFirstCount: 2 });
    await ensureViewRoom(seminar.id, documentId, ada.id);
    const types = await entryTypes(
      roomName({ kind: "view", seminarId: seminar.id, documentId, userId: ada.id }),
    );
    expect(types.annotations).toHaveLength(1);
    expect(new Set([...types.annotations, ...types.comments])).toEqual(new Set(["string"]));
  });

  it("reads a room written before (entries as objects) whole, and turns a thread to text when it is written", async () => {
    const room = seminarRoom(seminar);
    const before = await threadsOf(room);
    expect(before).toHaveLength(3);
    // The room as it was before: every entry an object, key by key.
    await writeServerRoom(room, (_tx, doc) => {
      doc.transact(() => {
        for (const name of [ROOT_TYPES.annotations, ROOT_TYPES.comments]) {
          const map = doc.getMap<unknown>(name);
          for (const [key, value] of [...map.entries()]) map.set(key, decodeRoomEntry(value));
        }
      });
      return Promise.resolve();
    });
    expect(await entryTypes(room)).toEqual({
      annotations: ["object", "object", "object"],
      comments: ["object", "object", "object"],
    });
    expect(await threadsOf(room)).toEqual(before);

    // A reply to the second thread rewrites that thread: its entries become text, the others stay.
    await reply(ada, threads[1] as string, "a reply");
    const doc = await loadRoomDoc(room);
    try {
      const annotations = doc.getMap<unknown>(ROOT_TYPES.annotations);
      expect(threads.map((id) => typeof annotations.get(id))).toEqual(["object", "string", "object"]);
      const read = readSeminarThreads(doc);
      const byId = new Map(read.map((thread) => [thread.id, thread]));
      expect(byId.get(threads[1] as string)?.summary?.commentCount).toBe(2);
      for (const id of [threads[0], threads[2]])
        expect(byId.get(id as string)).toEqual(before.find((thread) => thread.id === id));
    } finally {
      doc.destroy();
    }
  });
});
