/**
 * Draining (server/start.ts): SIGTERM to an app process closes its collab sockets with 1012
 * ("service restart", so clients reconnect at once, through the balancer, to another
 * process), stops listening and exits cleanly. The whole app runs as a child process, as a
 * production deployment, with a real y-websocket client connected to it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roomName } from "../../lib/shared/rooms";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { connectClient, sessionCookie, waitFor } from "../helpers/collab";
import { buildSeminar, buildUser } from "../helpers/factories";

let app: AppServer;

beforeAll(async () => {
  app = await startAppServer();
}, 600_000);
afterAll(async () => {
  await app?.stop();
});

/** Resolves with the exit code (or signal) once the child exits. */
function exitOf(child: AppServer["child"]): Promise<number | string | null> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
}

describe("draining an app process", () => {
  it("closes collab sockets with 1012 on SIGTERM, stops listening and exits with 0", async () => {
    const reader = await buildUser({ name: "Drained Reader" });
    const seminar = await buildSeminar({ students: [reader] });
    const room = roomName({
      kind: "seminar",
      seminarId: seminar.id,
      documentId: seminar.documentId as string,
    });
    const { cookie } = await sessionCookie(reader);
    const wsUrl = `${app.url.replace(/^http/, "ws")}/collab`;
    const client = await connectClient({ url: wsUrl, origin: app.url }, room, { cookie });
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);

    const exited = exitOf(app.child);
    app.child.kill("SIGTERM");
    await waitFor(
      () => client.closes.some((close) => close.code === 1012),
      `the collab socket to close with 1012 (closes: ${JSON.stringify(client.closes)})`,
      20_000,
    );
    const code = await Promise.race([
      exited,
      new Promise<string>((resolve) => setTimeout(() => resolve("still running after 30 s"), 30_000)),
    ]);
    client.destroy();
    expect(code, app.output()).toBe(0);
    expect(client.closes.find((close) => close.code === 1012)?.reason).toBe("The server is restarting.");
    expect(app.output()).toContain("Shutting down");
    // Nothing listens any more: a balancer's health check finds it gone.
    await expect(fetch(`${app.url}/readyz`)).rejects.toThrow();
  });
});
