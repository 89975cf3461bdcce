/**
 * The baseline: a bare y-protocols relay, as y-websocket's own example
 * server does it. One Y.Doc per room, sync and awareness relayed as they
 * come (awareness to every socket, the sender's own included, as that
 * server does), no auth, no limits, no persistence. Whatever our collab server costs
 * beyond this is the price of auth, policies, the update guard and
 * commit-before-broadcast.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { WebSocketServer, type WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";

type RelayRoom = { doc: Y.Doc; awareness: awarenessProtocol.Awareness; sockets: Set<WebSocket> };

/** A relay: plug `handleUpgrade` into an HTTP server's `upgrade` event. */
export class Relay {
  private readonly rooms = new Map<string, RelayRoom>();
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
    const name = decodeURIComponent((request.url ?? "/").split("?")[0]?.replace(/^\/collab\//, "") ?? "");
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, this.room(name)));
  }

  private room(name: string): RelayRoom {
    const existing = this.rooms.get(name);
    if (existing) return existing;
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState(null);
    const room: RelayRoom = { doc, awareness, sockets: new Set() };
    doc.on("update", (update: Uint8Array, origin: unknown) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeUpdate(encoder, update);
      const message = encoding.toUint8Array(encoder);
      for (const socket of room.sockets) if (socket !== origin) socket.send(message);
    });
    awareness.on("update", ({ added, updated, removed }: Record<string, number[]>) => {
      const changed = [...(added ?? []), ...(updated ?? []), ...(removed ?? [])];
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
      const message = encoding.toUint8Array(encoder);
      for (const socket of room.sockets) socket.send(message);
    });
    this.rooms.set(name, room);
    return room;
  }

  private accept(ws: WebSocket, room: RelayRoom) {
    room.sockets.add(ws);
    ws.binaryType = "nodebuffer";
    ws.on("message", (data: Buffer) => {
      try {
        const decoder = decoding.createDecoder(new Uint8Array(data));
        const encoder = encoding.createEncoder();
        const type = decoding.readVarUint(decoder);
        if (type === 0) {
          encoding.writeVarUint(encoder, 0);
          syncProtocol.readSyncMessage(decoder, encoder, room.doc, ws);
          if (encoding.length(encoder) > 1) ws.send(encoding.toUint8Array(encoder));
        } else if (type === 1) {
          awarenessProtocol.applyAwarenessUpdate(room.awareness, decoding.readVarUint8Array(decoder), ws);
        }
      } catch {
        ws.close(1002);
      }
    });
    ws.on("close", () => room.sockets.delete(ws));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, room.doc);
    ws.send(encoding.toUint8Array(encoder));
  }

  /** Closes every socket and destroys every room. */
  close() {
    for (const room of this.rooms.values()) {
      for (const socket of room.sockets) socket.terminate();
      room.awareness.destroy();
      room.doc.destroy();
    }
    this.rooms.clear();
    this.wss.close();
  }
}
