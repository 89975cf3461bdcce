/**
 * The attacker of the bench's flood section, in a process of its own (so its
 * CPU is not the probe's): one account opening websockets into one room as
 * fast as it can, `concurrency` attempts in flight, `attempts` in all. Sockets
 * that are accepted stay open, as a flood's would. Run by bench/flood.ts as
 *
 *   node --import tsx bench/flood-client.ts '<json: url, origin, room, cookie, attempts, concurrency>'
 *
 * It prints `FLOOD_READY`, waits for a line on stdin, floods, prints
 * `FLOOD_DONE <json>` and keeps its sockets until stdin ends.
 */
import readline from "node:readline";
import WebSocket from "ws";

type Orders = {
  url: string;
  origin: string;
  room: string;
  cookie: string;
  attempts: number;
  concurrency: number;
};

/** What the flood got. */
export type FloodResult = {
  attempts: number;
  accepted: number;
  /** Refusals by HTTP status. */
  refused: Record<string, number>;
  /** Connections that failed without an HTTP answer (reset, timeout). */
  errors: number;
  durationMs: number;
};

/** One upgrade attempt: "accepted", an HTTP status, or "error". */
function attempt(orders: Orders, open: WebSocket[]): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${orders.url}/${orders.room}`, {
      headers: { cookie: orders.cookie, origin: orders.origin },
      perMessageDeflate: false,
    });
    let isSettled = false;
    const settle = (outcome: string) => {
      if (isSettled) return;
      isSettled = true;
      resolve(outcome);
    };
    ws.on("open", () => {
      open.push(ws);
      settle("accepted");
    });
    ws.on("unexpected-response", (_request, response) => {
      response.resume();
      settle(String(response.statusCode));
      ws.terminate();
    });
    ws.on("error", () => settle("error"));
    // Accepted sockets only receive (they never send): the server keeps them until we go.
    ws.on("message", () => undefined);
  });
}

async function flood(orders: Orders): Promise<{ result: FloodResult; open: WebSocket[] }> {
  const open: WebSocket[] = [];
  const outcomes = new Map<string, number>();
  let started = 0;
  const begin = performance.now();
  const worker = async () => {
    while (started < orders.attempts) {
      started++;
      const outcome = await attempt(orders, open);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: orders.concurrency }, worker));
  const refused: Record<string, number> = {};
  for (const [outcome, count] of outcomes) if (/^\d+$/.test(outcome)) refused[outcome] = count;
  return {
    open,
    result: {
      attempts: orders.attempts,
      accepted: outcomes.get("accepted") ?? 0,
      refused,
      errors: outcomes.get("error") ?? 0,
      durationMs: performance.now() - begin,
    },
  };
}

async function main() {
  const orders = JSON.parse(process.argv[2] ?? "{}") as Orders;
  const lines = readline.createInterface({ input: process.stdin });
  console.log("FLOOD_READY");
  await new Promise<void>((resolve) => lines.once("line", () => resolve()));
  const { result, open } = await flood(orders);
  console.log(`FLOOD_DONE ${JSON.stringify(result)}`);
  lines.once("close", () => {
    for (const ws of open) ws.terminate();
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  console.error(`[flood-client] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
