/**
 * The other baseline: Hocuspocus (`@hocuspocus/server`), an open-source Yjs
 * server, as it runs with no extensions: documents in memory, nothing stored,
 * no auth hook, so it broadcasts each change as soon as it has applied it
 * (it commits nothing first). Its clients speak its own protocol: every
 * message carries the document's name, and a connection authenticates per
 * document before it syncs. So the sender and the probe are
 * `HocuspocusProvider`s, and the idle clients are lean clients of that
 * protocol. Pinned to 3.4.4 in devDependencies: the last line that runs on
 * Node 20 (4.x needs Node 22).
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { Hocuspocus } from "@hocuspocus/server";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket, { WebSocketServer } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { waitFor } from "../tests/helpers/collab";
import { BENCH_PRESENCE, type Endpoint, type RealClient } from "./clients";

/** Hocuspocus' message types (its protocol's first number after the document's name). */
const MESSAGE = { sync: 0, auth: 2 } as const;

/** The server: plug `handleUpgrade` into an HTTP server's `upgrade` event. */
export class HocuspocusBenchServer {
  private readonly hocuspocus = new Hocuspocus({ quiet: true });
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.hocuspocus.handleConnection(ws, request));
  }

  close() {
    for (const socket of this.wss.clients) socket.terminate();
    this.wss.close();
  }
}

/**
 * A `HocuspocusProvider` on a socket of its own, with the y-websocket clients' fixed presence;
 * resolves once synced. `doc` may come preloaded.
 */
export async function connectHocuspocusClient(
  endpoint: Endpoint,
  room: string,
  doc = new Y.Doc(),
): Promise<Pick<RealClient, "doc" | "destroy">> {
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(BENCH_PRESENCE);
  const websocketProvider = new HocuspocusProviderWebsocket({
    url: endpoint.url,
    WebSocketPolyfill: WebSocket,
  });
  const provider = new HocuspocusProvider({ name: room, document: doc, awareness, websocketProvider });
  // A provider given its socket does not attach itself to it.
  provider.attach();
  await waitFor(() => provider.isSynced, `a Hocuspocus client of ${room} to sync`, 30_000);
  return {
    doc,
    destroy() {
      provider.destroy();
      websocketProvider.destroy();
      awareness.destroy();
      doc.destroy();
    },
  };
}

/** A Hocuspocus message for `room`: its name, the type, then what `write` adds. */
function message(room: string, type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, room);
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/**
 * An idle client of Hocuspocus' protocol as lean as `LeanClient` is of y-websocket's: it
 * authenticates (an empty token: the server has no auth hook), asks for the state once (sync
 * step 1 with an empty state vector), then only counts what arrives.
 */
export class HocuspocusLeanClient {
  readonly ws: WebSocket;
  bytes = 0;
  isSynced = false;
  closeCode: number | null = null;

  constructor(endpoint: Endpoint, room: string) {
    this.ws = new WebSocket(endpoint.url, { perMessageDeflate: false });
    this.ws.on("open", () => {
      this.ws.send(
        message(room, MESSAGE.auth, (encoder) => {
          encoding.writeVarUint(encoder, 0); // a token
          encoding.writeVarString(encoder, "");
        }),
      );
      this.ws.send(
        message(room, MESSAGE.sync, (encoder) => {
          encoding.writeVarUint(encoder, 0); // sync step 1
          encoding.writeVarUint8Array(encoder, new Uint8Array([0])); // an empty state vector
        }),
      );
    });
    this.ws.on("message", (data: Buffer) => {
      this.bytes += data.length;
      if (this.isSynced) return;
      const decoder = decoding.createDecoder(new Uint8Array(data));
      decoding.readVarString(decoder);
      // The answer to our sync step 1 is a sync step 2.
      if (decoding.readVarUint(decoder) === MESSAGE.sync && decoding.readVarUint(decoder) === 1)
        this.isSynced = true;
    });
    this.ws.on("error", () => undefined);
    this.ws.on("close", (code) => (this.closeCode = code));
  }

  close() {
    this.ws.terminate();
  }
}
