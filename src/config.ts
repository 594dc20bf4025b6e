// Environment → typed, validated configuration. The only place that reads process.env.
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
  /** Highest estimated cost of a GraphQL operation: 1 a field, unless the field declares its own (connections: `first` × their selection). */
  graphqlMaxComplexity: number;
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
  };
  if (problems.length) throw new ConfigError(`Invalid configuration:\n- ${problems.join("\n- ")}`);
  return config;
}
