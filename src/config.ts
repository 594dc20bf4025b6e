// Environment → typed, validated configuration. The only place that reads process.env.
import fs from "node:fs";
import { isIP } from "node:net";
import path from "node:path";

export interface Config {
  /** PostgreSQL connection string; absent → embedded PostgreSQL (PGlite) under dataDir. */
  databaseUrl?: string;
  /** Folder of the embedded database. */
  dataDir: string;
  port: number;
  host: string;
  /** Domain of the logins generated for imported (external) registrations. */
  accountDomain: string;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Whether GraphQL introspection is allowed. */
  introspection: boolean;
  /** Deepest field nesting a GraphQL operation may have (introspection fields not counted). */
  graphqlMaxDepth: number;
  /**
   * Highest estimated cost of a GraphQL operation: 1 a field, unless the field declares its own (connections: `first` ×
   * their selection; a start list: its entries × its selection; other unpaged lists: 20 × their selection).
   */
  graphqlMaxComplexity: number;
  /**
   * Failed authentications a key name may have from one client address (an IPv6 /64) in authFailureWindowSeconds
   * before it is refused there with 429; 0 = no limit. Per address, so that nobody can lock out a key's holder.
   */
  authFailuresPerKeyName: number;
  /** The same for one client address (req.ip; an IPv6 /64), whatever key names it tries; 0 = no limit. */
  authFailuresPerAddress: number;
  authFailureWindowSeconds: number;
  /** Requests one access key may make a minute before 429; 0 = no limit. */
  requestsPerKeyPerMinute: number;
  /** Requests a minute one client address (req.ip) may make without a valid key (keyless GraphQL, public start lists) before 429; 0 = no limit. */
  anonymousRequestsPerMinute: number;
  /** Express's `trust proxy`: false, a number of proxy hops, or the proxies' addresses/subnets (comma-separated). */
  trustProxy: false | number | string;
  /** Strict-Transport-Security max-age; 0 = no header (TLS ends in front of this server, which may set it there). */
  hstsMaxAgeSeconds: number;
  /** pino level of the JSON logs on stdout. */
  logLevel: LogLevel;
  /** Most items of one sync, whatever its format (JSON items, CSV or sheet rows, GraphQL items); more is refused as soon as it is read. */
  maxSyncItems: number;
  /** Most columns of an uploaded CSV or sheet; more is refused with 413, checked on the raw header line. */
  maxCsvColumns: number;
  /** Time a client has to send a whole request (headers and body), and its headers alone; then 408 and the connection is closed. */
  requestTimeoutSeconds: number;
  headersTimeoutSeconds: number;
  /** Origins whose pages may call /graphql and /api (CORS); ["*"] any origin; empty: CORS off. */
  corsOrigins: string[];
  /**
   * Load the demo data at start on an empty embedded database and print its Owner key (DEMO=1). Off by
   * default, so that a container never holds a printed live key nobody asked for; `npm start` asks for it.
   */
  demo: boolean;
  /** Longest a PostgreSQL statement may run before it is cancelled (the request then answers 503); 0 = no limit. */
  statementTimeoutMs: number;
}

/** MAX_SYNC_ITEMS unless set. */
export const DEFAULT_MAX_SYNC_ITEMS = 50_000;

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Reads `.env` (or the file ENV_FILE names) into the environment when it exists; variables already
 * set win. Called by the entry points before loadConfig.
 */
export function loadEnvFile(env: Env = process.env): void {
  const file = env.ENV_FILE || ".env";
  if (env.ENV_FILE || fs.existsSync(file)) process.loadEnvFile(file);
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) {
    problems.push(`${name} must be a whole number, got "${raw}"`);
    return fallback;
  }
  return Number(raw);
}

function flag(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  problems.push(`${name} must be true or false, got "${raw}"`);
  return fallback;
}

// Express would throw on a bad address only when the app is built; this names it with the other problems.
function trustProxy(env: Env, problems: string[]): false | number | string {
  const raw = env.TRUST_PROXY?.trim();
  if (!raw || /^(0|false|no|off)$/i.test(raw)) return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  const wrong = raw
    .split(",")
    .map((s) => s.trim())
    .filter((item) => {
      if (/^(loopback|linklocal|uniquelocal)$/.test(item)) return false;
      const [address, bits, more] = item.split("/");
      return more !== undefined || !isIP(address) || (bits !== undefined && !/^\d{1,3}$/.test(bits));
    });
  if (wrong.length)
    problems.push(
      `TRUST_PROXY must be a number of hops or proxy addresses/subnets like 10.0.0.0/8,loopback, got "${raw}"`,
    );
  return raw;
}

// An origin is what a browser sends in its Origin header, exactly: scheme://host[:port], lower case, no default port, no path.
function corsOrigins(env: Env, problems: string[]): string[] {
  const items = (env.CORS_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.includes("*")) {
    if (items.length > 1) problems.push(`CORS_ORIGINS must be * alone or a list of origins, got "${env.CORS_ORIGINS}"`);
    return ["*"];
  }
  for (const item of items) {
    let origin: string | undefined;
    try {
      const url = new URL(item);
      if (url.protocol === "http:" || url.protocol === "https:") origin = url.origin;
    } catch {
      origin = undefined;
    }
    if (origin === item) continue;
    const hint = origin ? ` (did you mean ${origin}?)` : "";
    problems.push(
      `CORS_ORIGINS: "${item}" is not an origin like https://app.example.com or http://localhost:3000${hint}`,
    );
  }
  return items;
}

function logLevel(env: Env, problems: string[]): LogLevel {
  const raw = (env.LOG_LEVEL || "info").trim().toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw as LogLevel;
  problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, got "${env.LOG_LEVEL}"`);
  return "info";
}

/** Reads the configuration; throws ConfigError listing every wrong value. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`DATABASE_URL must start with postgres:// or postgresql://`);
  }
  const accountDomain = env.ACCOUNT_DOMAIN || "actigo.app";
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i.test(accountDomain)) {
    problems.push(`ACCOUNT_DOMAIN must be a domain name like actigo.app, got "${accountDomain}"`);
  }
  const port = integer(env, "PORT", 4000, problems);
  if (port > 65535) problems.push(`PORT must be at most 65535, got ${port}`);
  const graphqlMaxDepth = integer(env, "GRAPHQL_MAX_DEPTH", 12, problems);
  if (graphqlMaxDepth < 1) problems.push(`GRAPHQL_MAX_DEPTH must be at least 1, got ${graphqlMaxDepth}`);
  const graphqlMaxComplexity = integer(env, "GRAPHQL_MAX_COMPLEXITY", 100_000, problems);
  if (graphqlMaxComplexity < 1) problems.push(`GRAPHQL_MAX_COMPLEXITY must be at least 1, got ${graphqlMaxComplexity}`);
  const authFailureWindowSeconds = integer(env, "AUTH_FAILURE_WINDOW_SECONDS", 900, problems);
  if (authFailureWindowSeconds < 1)
    problems.push(`AUTH_FAILURE_WINDOW_SECONDS must be at least 1, got ${authFailureWindowSeconds}`);
  const requestTimeoutSeconds = integer(env, "REQUEST_TIMEOUT_SECONDS", 120, problems);
  if (requestTimeoutSeconds < 1)
    problems.push(`REQUEST_TIMEOUT_SECONDS must be at least 1, got ${requestTimeoutSeconds}`);
  const headersTimeoutSeconds = integer(env, "HEADERS_TIMEOUT_SECONDS", 20, problems);
  if (headersTimeoutSeconds < 1 || headersTimeoutSeconds > requestTimeoutSeconds) {
    problems.push(
      `HEADERS_TIMEOUT_SECONDS must be between 1 and REQUEST_TIMEOUT_SECONDS (${requestTimeoutSeconds}), got ${headersTimeoutSeconds}`,
    );
  }
  const config: Config = {
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR || "data"),
    port,
    host: env.HOST || "0.0.0.0",
    accountDomain: accountDomain.toLowerCase(),
    bodyLimit: integer(env, "BODY_LIMIT_BYTES", 20 * 1024 * 1024, problems),
    introspection: flag(env, "GRAPHQL_INTROSPECTION", true, problems),
    graphqlMaxDepth,
    graphqlMaxComplexity,
    authFailuresPerKeyName: integer(env, "AUTH_FAILURES_PER_KEY_NAME", 10, problems),
    authFailuresPerAddress: integer(env, "AUTH_FAILURES_PER_ADDRESS", 50, problems),
    authFailureWindowSeconds,
    requestsPerKeyPerMinute: integer(env, "REQUESTS_PER_KEY_PER_MINUTE", 1200, problems),
    anonymousRequestsPerMinute: integer(env, "ANONYMOUS_REQUESTS_PER_MINUTE", 300, problems),
    trustProxy: trustProxy(env, problems),
    hstsMaxAgeSeconds: integer(env, "HSTS_MAX_AGE_SECONDS", 0, problems),
    logLevel: logLevel(env, problems),
    // MAX_CSV_ROWS is the setting's older name, from when only CSV had a row cap.
    maxSyncItems: integer(
      env,
      env.MAX_SYNC_ITEMS ? "MAX_SYNC_ITEMS" : "MAX_CSV_ROWS",
      DEFAULT_MAX_SYNC_ITEMS,
      problems,
    ),
    maxCsvColumns: integer(env, "MAX_CSV_COLUMNS", 200, problems),
    corsOrigins: corsOrigins(env, problems),
    requestTimeoutSeconds,
    headersTimeoutSeconds,
    demo: flag(env, "DEMO", false, problems),
    statementTimeoutMs: integer(env, "STATEMENT_TIMEOUT_MS", 30_000, problems),
  };
  if (problems.length) throw new ConfigError(`Invalid configuration:\n- ${problems.join("\n- ")}`);
  return config;
}
