/**
 * Text exports are written as generators of chunks, so one renderer serves
 * both a string (tests, the bench) and a byte stream (the download, which
 * starts flowing with the first chunk instead of after the last).
 */

/** Bytes (roughly: UTF-16 units) gathered into one enqueued chunk after the first. */
export const STREAM_BATCH_SIZE = 64 * 1024;

/**
 * A UTF-8 byte stream of `chunks`, rendered lazily: each pull renders about
 * {@link STREAM_BATCH_SIZE} more, so a slow reader holds the rest back instead
 * of the server buffering the whole export. The first pull sends the first
 * chunk alone, so headers and the start of the file leave at once.
 */
export function streamChunks(
  chunks: Iterable<string>,
  batchSize = STREAM_BATCH_SIZE,
): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.iterator]();
  const encoder = new TextEncoder();
  let isFirst = true;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      let batch = "";
      const limit = isFirst ? 1 : batchSize;
      isFirst = false;
      while (batch.length < limit) {
        const next = iterator.next();
        if (next.done) {
          if (batch) controller.enqueue(encoder.encode(batch));
          controller.close();
          return;
        }
        batch += next.value;
      }
      controller.enqueue(encoder.encode(batch));
    },
    cancel() {
      iterator.return?.();
    },
  });
}

/** All chunks as one string. */
export function joinChunks(chunks: Iterable<string>): string {
  let text = "";
  for (const chunk of chunks) text += chunk;
  return text;
}
