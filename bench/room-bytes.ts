/**
 * Where a seminar room's bytes go (docs/adr/0027): seeds the bench's discussion at one
 * size, in each room shape, and prints the encoded state's size with and without each
 * part (replies, first comments, summaries, anchors' quote context), so the ADR's table
 * of what a reader syncs first is measured, not guessed. Not part of `npm run bench`:
 * `DATABASE_URL=… node --import tsx bench/room-bytes.ts 10000`.
 */
import { gzipSync } from "node:zlib";
import * as Y from "yjs";
import { disconnectDb } from "../lib/server/db";
import { resetEnv } from "../lib/server/env";
import { loadRoomDoc } from "../lib/server/realtime/load-room-doc";
import { ROOT_TYPES, roomName } from "../lib/shared/rooms";
import { seedReading } from "../tests/helpers/large-discussion";
import { openScratchDatabase } from "../tests/helpers/scratch-database";

const size = Number(process.argv[2] ?? 10_000);

function weigh(doc: Y.Doc): { bytes: number; gzip: number } {
  const update = Y.encodeStateAsUpdate(doc);
  return { bytes: update.byteLength, gzip: gzipSync(update).byteLength };
}

/** A copy of the room's maps with `change` applied to each annotation / comment value. */
function variant(
  source: Y.Doc,
  change: { annotation?: (value: Record<string, unknown>) => unknown; comments?: boolean },
): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    const annotations = doc.getMap(ROOT_TYPES.annotations);
    for (const [key, value] of source.getMap<Record<string, unknown>>(ROOT_TYPES.annotations))
      annotations.set(key, change.annotation ? change.annotation(value) : value);
    if (change.comments !== false) {
      const comments = doc.getMap(ROOT_TYPES.comments);
      for (const [key, value] of source.getMap(ROOT_TYPES.comments)) comments.set(key, value);
    }
    const categories = doc.getMap(ROOT_TYPES.categories);
    for (const [key, value] of source.getMap(ROOT_TYPES.categories)) categories.set(key, value);
  });
  return doc;
}

const fmt = (value: { bytes: number; gzip: number }) =>
  `${(value.bytes / 1024 / 1024).toFixed(2)} MB (gzip ${(value.gzip / 1024 / 1024).toFixed(2)} MB)`;

const givenUrl = process.env.DATABASE_URL;
for (const shape of ["full", "lean"] as const) {
  if (givenUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = givenUrl;
  resetEnv();
  const scratch = await openScratchDatabase(`roombytes${shape}${size}`);
  try {
    const reading = await seedReading(size, { roomShape: shape });
    const room = await loadRoomDoc(
      roomName({ kind: "seminar", seminarId: reading.seminarId, documentId: reading.documentId }),
    );
    const whole = weigh(room);
    const noComments = weigh(variant(room, { comments: false }));
    const noSummary = weigh(
      variant(room, {
        annotation: (value) => {
          const rest = { ...value };
          delete rest.thread;
          return rest;
        },
        comments: false,
      }),
    );
    const noContext = weigh(
      variant(room, {
        annotation: (value) => {
          const anchor = value.anchor as { quote: Record<string, string> };
          return { ...value, anchor: { ...anchor, quote: { ...anchor.quote, prefix: "", suffix: "" } } };
        },
        comments: false,
      }),
    );
    console.log(
      [
        `${size} threads, ${shape} room: ${fmt(whole)}`,
        `  annotations only (no comments): ${fmt(noComments)}; comments ${fmt({ bytes: whole.bytes - noComments.bytes, gzip: whole.gzip - noComments.gzip })}`,
        `  annotations without summaries: ${fmt(noSummary)}`,
        `  annotations without the quotes' prefix and suffix: ${fmt(noContext)}`,
        `  entries: ${room.getMap(ROOT_TYPES.annotations).size} annotations, ${room.getMap(ROOT_TYPES.comments).size} comments`,
      ].join("\n"),
    );
    room.destroy();
  } finally {
    await scratch.close();
    await disconnectDb();
  }
}
