/**
 * The idle connections of `npm run bench -- --only idle` (bench/idle.ts), in
 * a process of their own: one process may hold 20,000 descriptors, and the
 * server under test holds one per socket too. Run as
 *
 *   node --import tsx bench/idle-clients.ts '{"url","origin","room","cookie"}'
 *
 * Each line on stdin is a total: it opens lean clients (bench/clients.ts)
 * until that many are synced, then prints `IDLE_READY <total> <closed>`.
 */
import readline from "node:readline";
import { connectLeanClients, LeanClient } from "./clients";

type Orders = { url: string; origin: string; room: string; cookie: string };

async function main() {
  const orders = JSON.parse(process.argv[2] ?? "{}") as Orders;
  const clients: LeanClient[] = [];
  const lines = readline.createInterface({ input: process.stdin });
  console.log("IDLE_STARTED");
  for await (const line of lines) {
    const total = Number(line.trim());
    if (!Number.isFinite(total)) continue;
    const missing = total - clients.length;
    if (missing > 0)
      clients.push(
        ...(await connectLeanClients(() => new LeanClient(orders, orders.room, orders.cookie), missing, 200)),
      );
    const closed = clients.filter((client) => client.closeCode !== null).length;
    console.log(`IDLE_READY ${clients.length} ${closed}`);
  }
  for (const client of clients) client.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(`[idle-clients] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
