/**
 * Environment variables, parsed once with zod (CONTRIBUTING.md: configuration is
 * typed data). `npm start` fills DATABASE_URL and NEXTAUTH_SECRET for local
 * use before anything reads them, so parsing is lazy.
 */
import { z } from "zod";

const ZEnv = z.object({
  /** PostgreSQL connection string; unset → `npm start` runs an embedded PostgreSQL. */
  DATABASE_URL: z.string().optional(),
  /**
   * A direct (session) connection to the same database, for LISTEN and the start-up lock when
   * DATABASE_URL goes through a transaction-pooling connection pooler; unset → DATABASE_URL.
   */
  DIRECT_DATABASE_URL: z.string().optional(),
  /** Redis for presence across processes; unset → one process, presence kept in it. */
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: "Use a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379." })
    .optional(),
  /** Signs and encrypts session cookies. */
  NEXTAUTH_SECRET: z.string().min(1).optional(),
  /** The app's public URL (origin checks, links in invites); required in a production deployment. */
  NEXTAUTH_URL: z
    .url({ protocol: /^https?$/, error: "Use the app's public http:// or https:// URL." })
    .optional(),
  /** HTTP port. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on. */
  HOST: z.string().default("0.0.0.0"),
  /** Extra origins allowed to open collab sockets and send mutations, comma-separated. */
  MARGINALIA_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  /** Collab sockets one user may hold open (server/collab/config.ts: maxSocketsPerUser). */
  MARGINALIA_COLLAB_SOCKETS_PER_USER: z.coerce.number().int().min(1).optional(),
  /** Collab sockets one client address may hold open (maxSocketsPerAddress). */
  MARGINALIA_COLLAB_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).optional(),
  /** Collab sockets in the whole process; unset: the open-file limit less a reserve (maxSockets). */
  MARGINALIA_COLLAB_MAX_SOCKETS: z.coerce.number().int().min(1).optional(),
  /** Collab sync replies at least this large are sent compressed; 0: never (compressAboveBytes). */
  MARGINALIA_COLLAB_COMPRESS_ABOVE_BYTES: z.coerce.number().int().min(0).optional(),
  /** Reverse proxies (addresses, comma-separated) whose X-Forwarded-For names the client. */
  MARGINALIA_TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((address) => address.trim())
        .filter(Boolean),
    ),
  /** Port of the embedded PostgreSQL. */
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  /** A Chromium for PDF exports; otherwise the usual paths are tried. */
  CHROMIUM_PATH: z.string().optional(),
  /** Port of the collab server when it runs alone (`npm run collab`). */
  COLLAB_PORT: z.coerce.number().int().min(0).max(65535).default(1234),
  /** `debug` also logs routine collab events (sockets opening and closing, rooms unloading). */
  MARGINALIA_LOG: z.string().optional(),
  /** A bearer token that opens /collab/metrics to non-loopback clients. */
  MARGINALIA_METRICS_TOKEN: z.string().optional(),
  /** GitHub OAuth app; both set → "Sign in with GitHub". */
  GITHUB_ID: z.string().optional(),
  GITHUB_SECRET: z.string().optional(),
  /** Google OAuth client; both set → "Sign in with Google". */
  GOOGLE_CLIENT_ID: z.string().optional(),
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  /** SMTP server for notification emails, e.g. smtp://user:pass@mail.example.org:587; unset → in-app only. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "Use an smtp:// or smtps:// URL." }).optional(),
  /** The From address of notification emails. */
  MAIL_FROM: z.string().default("Marginalia <marginalia@localhost>"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

/** The parsed environment. */
export type TEnv = z.infer<typeof ZEnv>;

let cached: TEnv | null = null;

/** The environment, parsed on first use. Throws one readable line per bad variable. */
export function getEnv(): TEnv {
  if (cached) return cached;
  // An empty variable (`FOO=` in a shell or .env) means unset.
  const present = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== ""));
  const result = ZEnv.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment: ${lines.join("; ")}`);
  }
  cached = result.data;
  return cached;
}

/** Forgets the parsed environment (for the start script after it fills in defaults, and tests). */
export function resetEnv(): void {
  cached = null;
}

/**
 * Throws unless NEXTAUTH_URL is set. A production deployment calls this at
 * start, as it refuses to start without NEXTAUTH_SECRET (issue 9 §5): without
 * the app's own URL the Origin check of mutations and collab sockets can only
 * trust the Host header, admitting http:// and https:// of whatever host a
 * request names, and next-auth builds its links from that header too.
 */
export function requireAppUrl(env: TEnv): string {
  if (env.NEXTAUTH_URL) return env.NEXTAUTH_URL;
  throw new Error(
    "NEXTAUTH_URL is not set. A production deployment needs the public URL it is served at, " +
      "e.g. NEXTAUTH_URL=https://marginalia.example.org, so that only requests from it are trusted.",
  );
}

/** The app's public URL for links in emails: NEXTAUTH_URL, else this host on PORT. */
export function getAppUrl(env: TEnv = getEnv()): string {
  return (env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}
