/**
 * Three app processes behind nginx (deploy/nginx.conf as shipped), started at the same instant
 * on a new, empty database, sharing Redis (README: Running several processes). Started once
 * for the whole file; everything goes through nginx's round-robin unless a test must pick a
 * process (to kill it).
 */
import type { Browser, Page } from "playwright-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import { readdirSync } from "node:fs";
import path from "node:path";
import { CloseCode } from "../../lib/shared/close-codes";
import { roomName } from "../../lib/shared/rooms";
import { DEMO_PASSWORD, DEMO_SEMINAR_TITLE, DEMO_USERS } from "../../prisma/seed-demo";
import { launchBrowser } from "../helpers/browser";
import { startCluster, type Cluster } from "../helpers/cluster";
import { connectClient, waitFor, type RawSocket } from "../helpers/collab";
import { HttpSession } from "../helpers/http-session";
import { margin, scrollToPhrase, selectPhrase } from "../helpers/reading-page";
import { decodeFrame } from "../collab/protocol-kit";

const [INSTRUCTOR, STUDENT, SECOND_STUDENT] = DEMO_USERS;
let cluster: Cluster;
let database: pg.Client;
let browser: Browser;
let demo: { seminarId: string; documentId: string };

beforeAll(async () => {
  cluster = await startCluster({
    adminUrl: inject("adminDatabaseUrl"),
    name: `cluster_${inject("runId")}_${process.pid}`,
    processes: 3,
  });
  database = new pg.Client({ connectionString: cluster.databaseUrl });
  await database.connect();
  const { rows } = await database.query<{ seminarId: string; documentId: string }>(
    `SELECT s."id" AS "seminarId", r."documentId" FROM "Seminar" s JOIN "Reading" r ON r."seminarId" = s."id"
      WHERE s."title" = $1`,
    [DEMO_SEMINAR_TITLE],
  );
  demo = rows[0] as { seminarId: string; documentId: string };
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await database?.end();
  await cluster?.stop();
});

const seminarRoom = () => roomName({ kind: "seminar", ...demo });
const readingPath = () => `/seminars/${demo.seminarId}/readings/${demo.documentId}`;

/**
 * Signs in through nginx and opens the demo reading. Like tests/helpers/reading-page.ts's
 * openReadingAs, with 30 s timeouts: three app processes, nginx and Chromium share the machine.
 */
async function openReading(email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: cluster.url, viewport: { width: 1400, height: 1000 } });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${cluster.url}/`);
  await page.goto(readingPath());
  await page.locator(".live-text[data-live='true']").waitFor({ timeout: 30_000 });
  return page;
}

async function signIn(email: string): Promise<HttpSession> {
  const session = new HttpSession(cluster.url);
  const error = await session.signIn(email, DEMO_PASSWORD);
  if (error) throw new Error(`${email} could not sign in through nginx: ${error}`);
  return session;
}

/** A raw socket through nginx (or straight to one process with `port`). */
function openThrough(cookie: string, room: string, port?: number): Promise<RawSocket> {
  const base = port ? `ws://127.0.0.1:${port}` : cluster.url.replace("http", "ws");
  const ws = new WebSocket(`${base}/collab/${room}`, { headers: { cookie, origin: cluster.url } });
  const frames: Uint8Array[] = [];
  ws.on("message", (data: Buffer) => frames.push(new Uint8Array(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve({ ws, frames, closed, send: (frame) => ws.send(frame) }));
    ws.once("unexpected-response", (_request, response) =>
      reject(new Error(`upgrade refused with ${response.statusCode}`)),
    );
    ws.once("error", reject);
  });
}

function lastState(socket: RawSocket, clientId: number) {
  return socket.frames
    .flatMap((frame) => {
      const decoded = decodeFrame(frame);
      return decoded.type === "awareness" ? decoded.states : [];
    })
    .filter((entry) => entry.clientId === clientId)
    .at(-1);
}

describe("three processes behind nginx", () => {
  it("started together on an empty database, they migrate, import the texts and seed the demo once", async () => {
    const shipped = readdirSync(path.resolve(import.meta.dirname, "../../prisma/migrations"), {
      withFileTypes: true,
    }).filter((entry) => entry.isDirectory()).length;
    const migrations = await database.query<{ name: string; count: string }>(
      `SELECT "migration_name" AS name, count(*) FROM "_prisma_migrations" GROUP BY 1`,
    );
    expect(migrations.rows).toHaveLength(shipped);
    expect(migrations.rows.every((row) => row.count === "1")).toBe(true);
    const counts = await database.query<{
      documents: string;
      seminars: string;
      users: string;
      threads: string;
    }>(
      `SELECT (SELECT count(*) FROM "Document") AS documents,
              (SELECT count(*) FROM "Seminar" WHERE "title" = $1) AS seminars,
              (SELECT count(*) FROM "User") AS users,
              (SELECT count(*) FROM "Annotation") AS threads`,
      [DEMO_SEMINAR_TITLE],
    );
    const texts = readdirSync(path.resolve(import.meta.dirname, "../../content/texts")).filter((name) =>
      name.endsWith(".txt"),
    ).length;
    expect(counts.rows[0]).toMatchObject({ documents: String(texts), seminars: "1", users: "3" });
    const demoThreads = Number(counts.rows[0]?.threads);
    expect(demoThreads).toBeGreaterThan(0);
    // One process did the work; the others found it done.
    const migrators = cluster.processes.filter((app) => app.output().includes("Applied migrations"));
    expect(migrators).toHaveLength(1);
  });

  it("each process answers /healthz and /readyz (database, Redis, migrations), and nginx spreads requests over all three", async () => {
    for (const app of cluster.processes) {
      const health = await fetch(`http://127.0.0.1:${app.port}/healthz`);
      expect(health.status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${app.port}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([
        200,
        expect.objectContaining({ status: "ready", database: "ok", redis: "ok", migrations: "ok" }),
      ]);
    }
    const pids = new Set<number>();
    for (let i = 0; i < 9; i++) {
      const answer = (await (await fetch(`${cluster.url}/healthz`)).json()) as { pid: number };
      pids.add(answer.pid);
    }
    expect(pids.size).toBe(3);
  });

  it("sign-out closes the session's sockets on whichever process holds them", async () => {
    const session = await signIn(SECOND_STUDENT.email);
    const sockets = await Promise.all([1, 2, 3].map(() => openThrough(session.cookieHeader, seminarRoom())));
    await session.signOut();
    const codes = await Promise.all(sockets.map((socket) => socket.closed.then((close) => close.code)));
    expect(codes).toEqual([CloseCode.SESSION_ENDED, CloseCode.SESSION_ENDED, CloseCode.SESSION_ENDED]);
  });

  it("another member's private notes room is refused through nginx", async () => {
    const session = await signIn(SECOND_STUDENT.email);
    const { rows } = await database.query<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" = $1`, [
      STUDENT.email,
    ]);
    const notes = roomName({ kind: "notes", documentId: demo.documentId, userId: rows[0]?.id as string });
    await expect(openThrough(session.cookieHeader, notes)).rejects.toThrow(/upgrade refused with 403/);
  });

  describe("in two browsers", () => {
    let instructorPage: Page;
    let studentPage: Page;
    const instructorFrames: string[] = [];
    /** Every socket the two pages opened and how it ended, for a failure's message. */
    const socketLog: string[] = [];
    const logSockets = (page: Page, who: string) =>
      page.on("websocket", (socket) => {
        const opened = Date.now();
        socketLog.push(`${who} open ${socket.url()}`);
        socket.on("close", () =>
          socketLog.push(`${who} close after ${Date.now() - opened} ms ${socket.url()}`),
        );
        socket.on("socketerror", (error) => socketLog.push(`${who} error ${error} ${socket.url()}`));
      });
    const thread = (page: Page, label: RegExp) => margin(page).getByRole("article", { name: label });
    const readingNow = (page: Page) => page.getByRole("region", { name: "Reading now" });

    beforeAll(async () => {
      // Each process renders its first reading page slowly (a cold start on a busy machine):
      // render it once on each before a browser with its 10 s timeouts arrives.
      const warm = await signIn(INSTRUCTOR.email);
      for (const app of cluster.processes)
        await fetch(`http://127.0.0.1:${app.port}${readingPath()}`, {
          headers: { cookie: warm.cookieHeader },
        });
      instructorPage = await openReading(INSTRUCTOR.email);
      instructorPage.on("websocket", (socket) =>
        socket.on("framereceived", ({ payload }) =>
          instructorFrames.push(Buffer.from(payload).toString("latin1")),
        ),
      );
      await instructorPage.reload();
      await instructorPage.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
      studentPage = await openReading(STUDENT.email);
      logSockets(instructorPage, "instructor");
      logSockets(studentPage, "student");
      studentPage.on("console", (message) => socketLog.push(`student console: ${message.text()}`));
    }, 120_000);

    it("see each other reading and each other's annotations live; a private note stays private", async () => {
      await readingNow(instructorPage).getByText(STUDENT.name).waitFor();
      await readingNow(studentPage).getByText(INSTRUCTOR.name).waitFor();

      await selectPhrase(studentPage, "Why did Cárdenas decide to grant asylum to León Trotsky?");
      await studentPage.getByRole("button", { name: "Highlight as Evidence" }).click();
      const label = new RegExp(`^Highlight by ${STUDENT.name} on “Why did Cárdenas`);
      await thread(studentPage, label).waitFor();
      await thread(instructorPage, label).waitFor({ timeout: 5000 });

      const marker = "PRIVATE-NOTE-CLUSTER-5e1";
      await selectPhrase(studentPage, "Diego Rivera, the famous Mexican muralist");
      await studentPage.getByRole("button", { name: "Private note on the selection" }).click();
      await studentPage.getByRole("textbox", { name: "Private note" }).fill(`${marker} remember`);
      await studentPage.getByRole("button", { name: "Save note" }).click();
      await thread(studentPage, new RegExp(`^Private note by ${STUDENT.name}`))
        .getByText(`${marker} remember`)
        .waitFor();
      await instructorPage.waitForTimeout(1500);
      expect(await instructorPage.content()).not.toContain(marker);
      expect(instructorFrames.length).toBeGreaterThan(0);
      expect(instructorFrames.some((frame) => frame.includes(marker))).toBe(false);
      await instructorPage.screenshot({ path: "test-results/cluster-instructor.png" });
    });

    it("a process killed with SIGKILL: its readers vanish within the heartbeat bound, the browsers reconnect through nginx and lose nothing", async () => {
      const victim = cluster.processes[0];
      const witness = cluster.processes[1];
      if (!victim || !witness) throw new Error("the topology has three processes");
      const session = await signIn(SECOND_STUDENT.email);
      const observer = await openThrough(session.cookieHeader, seminarRoom(), witness.port);
      const doomed = await connectClient(
        { url: `ws://127.0.0.1:${victim.port}/collab`, origin: cluster.url },
        seminarRoom(),
        { cookie: session.cookieHeader },
      );
      // Its presence is its connection's identity (the server keeps no field of its own making
      // but a well-formed caret, which the browsers in this room would draw): publish one with
      // no caret, which the server stamps with the user.
      doomed.provider.awareness.setLocalStateField("cursor", null);
      const clientId = doomed.doc.clientID;
      await waitFor(() => lastState(observer, clientId)?.state?.user !== undefined, "the doomed presence");

      await cluster.kill(0);
      // presenceTtlMs 4 s + presenceHeartbeatMs 1 s by default (docs/adr/0020-several-processes.md).
      await waitFor(
        () => lastState(observer, clientId)?.state === null,
        "the killed process's presence to go",
        7000,
      );
      doomed.destroy();

      // Both pages are live again (any of their sockets that sat on the killed process reconnected).
      for (const page of [studentPage, instructorPage]) {
        await page
          .locator(".live-text[data-live='true']")
          .waitFor({ timeout: 20_000 })
          .catch(async (error: unknown) => {
            await page.screenshot({ path: "test-results/cluster-after-kill.png" });
            const statuses = await page.getByRole("status").allTextContents();
            throw new Error(
              `${String(error)}\nstatuses: ${JSON.stringify(statuses)}\nsockets: ${socketLog.join("\n")}\n` +
                `nginx: ${cluster.nginxLog().slice(-2000)}\n` +
                cluster.processes.map((app) => `[${app.port}] ${app.output().slice(-1500)}`).join("\n"),
            );
          });
      }
      await selectPhrase(studentPage, "secular national system of public education");
      await studentPage.getByRole("button", { name: "Highlight as Evidence" }).click();
      const after = new RegExp(`^Highlight by ${STUDENT.name} on “secular national system`);
      // The instructor reads on to the passage (the margin renders only the cards near the screen).
      await scrollToPhrase(instructorPage, "secular national system of public education");
      await thread(instructorPage, after).waitFor({ timeout: 10_000 });

      // Nothing committed before the kill is lost: a fresh load (through a living process) has it.
      await instructorPage.reload();
      await instructorPage.locator(".live-text[data-live='true']").waitFor({ timeout: 20_000 });
      await scrollToPhrase(instructorPage, "Why did Cárdenas");
      await thread(
        instructorPage,
        new RegExp(`^Highlight by ${STUDENT.name} on “Why did Cárdenas`),
      ).waitFor();
      await scrollToPhrase(instructorPage, "secular national system of public education");
      await thread(instructorPage, after).waitFor();
      await readingNow(instructorPage)
        .getByText(STUDENT.name)
        .waitFor({ timeout: 10_000 })
        .catch(async (error: unknown) => {
          const shown = await readingNow(instructorPage).allInnerTexts();
          throw new Error(
            `${String(error)}\n"Reading now" shows: ${JSON.stringify(shown)}\nsockets: ${socketLog.slice(-40).join("\n")}`,
          );
        });
      observer.ws.close();
    });
  });

  it("removal from the seminar closes the member's sockets on whichever process holds them", async () => {
    const member = await signIn(SECOND_STUDENT.email);
    const sockets = await Promise.all([1, 2, 3].map(() => openThrough(member.cookieHeader, seminarRoom())));
    const { rows } = await database.query<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" = $1`, [
      SECOND_STUDENT.email,
    ]);
    const instructor = await signIn(INSTRUCTOR.email);
    const removal = await instructor.request(
      "DELETE",
      `/api/seminars/${demo.seminarId}/members/${rows[0]?.id}`,
    );
    expect(removal.status).toBeLessThan(300);
    const codes = await Promise.all(sockets.map((socket) => socket.closed.then((close) => close.code)));
    expect(codes).toEqual([CloseCode.ACCESS_REVOKED, CloseCode.ACCESS_REVOKED, CloseCode.ACCESS_REVOKED]);
  });
});
