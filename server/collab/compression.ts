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

/**
 * Compressed forms of messages sent alike to many readers: a large room's cached first sync
 * (room.ts `syncReplyFor`), the same slices for every newcomer until the room changes. With no
 * context takeover each message is deflated on its own, so its compressed form is the same
 * bytes for every socket with the same window: made once, by the first newcomer's socket, and
 * kept with the message (by its window size). A 10,000-thread room's first sync took ~45 ms of
 * the thread pool per newcomer (two at a time, `concurrencyLimit`), so a class opening the
 * reading together queued behind each other; and a socket that never deflates keeps no
 * deflate stream (~40 KB).
 */
const sharedForms = new WeakMap<Buffer, Map<number, SharedForm>>();

/**
 * A shared message's compressed form at one window size: made, or being made by one socket
 * while the others that need it wait (a class opening the reading together asks for it at
 * once), each told the form or, when making it failed, null (it then deflates its own).
 */
type SharedForm = Buffer | ((form: Buffer | null) => void)[];

/**
 * `message` as a Buffer whose compressed form is kept once made ({@link reuseSharedForms}).
 * A Buffer, since `ws` compresses a Buffer as it is given and any other view as a new Buffer,
 * which would never be found again.
 */
export function shareCompressed(message: Uint8Array): Buffer {
  const buffer = Buffer.isBuffer(message)
    ? message
    : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  if (!sharedForms.has(buffer)) sharedForms.set(buffer, new Map());
  return buffer;
}

/** What `reuseSharedForms` reaches of `ws`'s negotiated extension (`permessage-deflate.js`). */
type DeflateExtension = {
  params: { server_no_context_takeover?: boolean; server_max_window_bits?: number };
  compress(
    data: Buffer | string,
    fin: boolean,
    callback: (error: Error | null, result?: Buffer) => void,
  ): void;
};

/**
 * Lets `socket` send the kept compressed form of a shared message instead of deflating it
 * again, and keeps the form it makes for one not yet compressed at its window size (sockets
 * asking while it is being made wait for it). Sockets without permessage-deflate are left as
 * they are. `onSend` is told, for each shared message compressed for this socket, whether its
 * form was reused.
 *
 * This wraps the socket's own `compress` (the negotiated extension `ws` keeps in
 * `_extensions`, which its sender calls for each compressed message): `ws` has no way to send
 * a frame compressed beforehand. Everything else, the frame, its order among the socket's
 * messages, `bufferedAmount`, stays `ws`'s. `tests/collab/sliced-sync.test.ts` checks that
 * newcomers get their room through it, and that the forms are reused.
 */
export function reuseSharedForms(socket: object, onSend: (isReused: boolean) => void): void {
  const extensions = (socket as { _extensions?: Record<string, DeflateExtension | undefined> })._extensions;
  const extension = extensions?.["permessage-deflate"];
  if (!extension || typeof extension.compress !== "function") return;
  const compress = extension.compress.bind(extension);
  const deflate: DeflateExtension["compress"] = (data, fin, callback) =>
    compress(data, fin, (error, result) => {
      onSend(false);
      callback(error, result);
    });
  extension.compress = (data, fin, callback) => {
    const forms = typeof data === "string" ? undefined : sharedForms.get(data);
    // Only a whole message deflated on its own has one form per window.
    if (!forms || !fin || !extension.params.server_no_context_takeover) return compress(data, fin, callback);
    const windowBits = extension.params.server_max_window_bits ?? 15;
    const form = forms.get(windowBits);
    if (Buffer.isBuffer(form)) {
      onSend(true);
      callback(null, form);
    } else if (form) {
      form.push((made) => {
        if (!made) return deflate(data, fin, callback);
        onSend(true);
        callback(null, made);
      });
    } else {
      const waiting: ((form: Buffer | null) => void)[] = [];
      forms.set(windowBits, waiting);
      deflate(data, fin, (error, result) => {
        // Not kept when it failed (the socket closed while deflating): the next deflates anew.
        if (!error && result) forms.set(windowBits, result);
        else forms.delete(windowBits);
        callback(error, result);
        for (const waiter of waiting) waiter(!error && result ? result : null);
      });
    }
  };
}
