/**
 * Server logs: one JSON line per event, never a message body. Routine events
 * (sockets opening and closing, rooms unloading) only with MARGINALIA_LOG=debug.
 */
import { getEnv } from "../lib/server/env";

const ROUTINE = new Set(["open", "close", "unload", "refused"]);

/** A logger for the collab server. */
export function createLogger(stream: NodeJS.WritableStream = process.stdout) {
  const isDebug = getEnv().MARGINALIA_LOG === "debug";
  return (event: string, fields: Record<string, unknown>) => {
    if (ROUTINE.has(event) && !isDebug) return;
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
  };
}
