/**
 * The text exports' byte stream: exactly the UTF-8 of the joined chunks, whatever the
 * batch size and wherever a chunk ends (inside a surrogate pair too), the first chunk
 * alone, and no more of the generator read than a batch needs.
 */
import { describe, expect, it } from "vitest";
import { joinChunks, streamChunks } from "./stream-chunks";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value);
  return parts;
}

/** Chunks of every width: ASCII, accents, CJK, emoji (a pair split between two chunks), one long run. */
const CHUNKS = [
  "# Notes\n",
  "Café, naïve, “quoted” — ",
  "読書会 ",
  "a thought 🙂",
  " and another \ud83d",
  "\udcda there",
  "",
  "x".repeat(5000),
  "é".repeat(3000),
  "\n",
];

describe("streamChunks", () => {
  for (const batchSize of [1, 7, 64, 1024, 64 * 1024]) {
    it(`sends the UTF-8 of the joined chunks, batches of ${batchSize}`, async () => {
      const parts = await readAll(streamChunks(CHUNKS, batchSize));
      expect(Buffer.concat(parts).equals(Buffer.from(joinChunks(CHUNKS), "utf8"))).toBe(true);
      expect(Buffer.concat(parts).toString("utf8")).toContain("\ud83d\udcda there");
      expect(Buffer.from(parts[0] ?? []).toString("utf8")).toBe(CHUNKS[0]);
    });
  }

  it("encodes a pair split at the very end as the replacement character, as a lone unit always is", async () => {
    const parts = await readAll(streamChunks(["end \ud83d"], 64));
    expect(Buffer.concat(parts).toString("utf8")).toBe("end \ufffd");
  });

  it("reads the chunks only as far as the batches pulled so far need", async () => {
    let read = 0;
    function* chunks() {
      for (let i = 0; i < 1000; i++) {
        read++;
        yield "0123456789".repeat(10);
      }
    }
    const reader = streamChunks(chunks(), 1000).getReader();
    await reader.read();
    await reader.read();
    // The first chunk alone, then ~1,000 bytes (10 chunks); the stream may have pulled one batch ahead.
    expect(read).toBeLessThanOrEqual(1 + 2 * 11);
    await reader.cancel();
  });
});
