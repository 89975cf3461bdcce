/**
 * permessage-deflate (RFC 7692) on the collab socket, for large sync replies only.
 *
 * A reader's first sync of a large seminar room is its largest message by far (a
 * 10,000-thread room: ~9 MB of Yjs update), and it deflates about tenfold: the entries
 * repeat their key names and the same few authors. Only sync replies (what a reader lacks of
 * the room) of at least the threshold are compressed (`Connection.send`); broadcasts are sent
 * as they are, since one update compressed for each member would cost its size times the
 * room's (the slow-reader test's 8 writers of 16 KiB updates, merged, showed it in CI).
 *
 * What it costs, and how it is bounded:
 * - Compressing runs on libuv's thread pool (`zlib`), not the event loop; the
 *   10,000-thread sync takes ~45 ms there.
 * - A socket's deflate stream exists only once a message over the threshold was sent on it,
 *   and `ws` keeps it for the socket's life (reset, not freed, after each message). Idle
 *   sockets of small rooms never have one.
 * - Browsers compress what they send once the extension is agreed, so the server inflates
 *   each of their sockets' messages: the client's window is held to 1 KB
 *   (`client_max_window_bits=10`) and each message stands alone, which keeps that stream small.
 * - `ws` checks `maxPayload` against the inflated size, so a small compressed frame cannot
 *   unpack into more than a large plain one could (1009, as before).
 *
 * A client whose offer does not let the server bound its window (no `client_max_window_bits`
 * parameter) gets no compression rather than a refused handshake ({@link boundedOffers}).
 */
import type { IncomingMessage } from "node:http";
import type { PerMessageDeflateOptions } from "ws";

/** Sync replies smaller than this are sent uncompressed. */
export const COMPRESSION_THRESHOLD_BYTES = 64 * 1024;

/** The client's deflate window, as a power of two (1 KB). */
const CLIENT_WINDOW_BITS = 10;

/**
 * The server's deflate window (8 KB) and hash memory: ~40 KB a stream. Measured on a
 * 10,000-thread room's first sync (9.34 MB): level 6 with these gives 0.73 MB in ~45 ms;
 * level 1 with zlib's defaults 0.92 MB in ~35 ms but ~256 KB a stream, which every
 * reader's socket of a large room would keep.
 */
const SERVER_WINDOW_BITS = 13;
const SERVER_MEMORY_LEVEL = 4;

/** The `ws` server's permessage-deflate options; `false` when `thresholdBytes` is 0 (off). */
export function compressionOptions(thresholdBytes: number): PerMessageDeflateOptions | false {
  if (thresholdBytes <= 0) return false;
  return {
    threshold: thresholdBytes,
    // Output buffers of 4 KB rather than zlib's 16 KB: each stream keeps one for the socket's life.
    zlibDeflateOptions: { level: 6, memLevel: SERVER_MEMORY_LEVEL, chunkSize: 4 * 1024 },
    zlibInflateOptions: { chunkSize: 4 * 1024 },
    serverMaxWindowBits: SERVER_WINDOW_BITS,
    serverNoContextTakeover: true,
    clientNoContextTakeover: true,
    clientMaxWindowBits: CLIENT_WINDOW_BITS,
    // Large first syncs of several readers at once wait their turn for the thread pool. (`ws`
    // shares one limiter among all its streams in the process, sized by the first one made.)
    concurrencyLimit: 2,
  };
}

/**
 * Leaves in the request's `Sec-WebSocket-Extensions` only the offers the server can accept:
 * `ws` refuses the whole handshake (400) when no permessage-deflate offer lets it set
 * `client_max_window_bits`, or when one asks for a smaller server window than it uses, so
 * such offers are removed (the client then talks without compression) instead. Other
 * extensions are left for `ws` to ignore.
 */
export function boundedOffers(request: IncomingMessage): void {
  const header = request.headers["sec-websocket-extensions"];
  if (typeof header !== "string") return;
  const kept = header
    .split(",")
    .map((offer) => offer.trim())
    .filter((offer) => {
      const [name, ...params] = offer.split(";").map((part) => part.trim().toLowerCase());
      if (name !== "permessage-deflate") return offer !== "";
      const values = new Map(
        params.map((param) => {
          const [key = "", value] = param.split("=").map((part) => part.trim().replace(/^"|"$/g, ""));
          return [key, value] as const;
        }),
      );
      // Without a value the client lets the server choose; with one, the server's may not be larger.
      const clientBits = values.get("client_max_window_bits");
      const serverBits = values.get("server_max_window_bits");
      return (
        values.has("client_max_window_bits") &&
        (clientBits === undefined || Number(clientBits) >= CLIENT_WINDOW_BITS) &&
        (serverBits === undefined || Number(serverBits) >= SERVER_WINDOW_BITS)
      );
    });
  if (kept.length === 0) delete request.headers["sec-websocket-extensions"];
  else request.headers["sec-websocket-extensions"] = kept.join(", ");
}
