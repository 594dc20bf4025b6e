// The TypeORM data source: PostgreSQL when DATABASE_URL is set, else the embedded PGlite on disk.
import "reflect-metadata";
import fs from "node:fs";
import { DataSource, MigrationExecutor } from "typeorm";
import type { Config } from "../config";
import { AccessKey } from "../entities/access-key";
import { Activity } from "../entities/activity";
import { Association } from "../entities/association";
import { AuditEntry } from "../entities/audit-entry";
import { Event } from "../entities/event";
import { Membership } from "../entities/membership";
import { Organization } from "../entities/organization";
import { Person } from "../entities/person";
import { Registration } from "../entities/registration";
import { Result } from "../entities/result";
import { UserAccount } from "../entities/user-account";
import { lockDataDir } from "./embedded-lock";
import { InitialSchema1764374400000 } from "./migrations/1764374400000-initial-schema";
import { KeyScopesAndIdempotency1764892800000 } from "./migrations/1764892800000-key-scopes-and-idempotency";
import { AuditActorsAsPlainIds1765152000000 } from "./migrations/1765152000000-audit-actors-as-plain-ids";
import { StartNumbersAsRunnersReadThem1765411200000 } from "./migrations/1765411200000-start-numbers-as-runners-read-them";
import { RegistrationCodesFromASequence1765670400000 } from "./migrations/1765670400000-registration-codes-from-a-sequence";
import { Results1765929600000 } from "./migrations/1765929600000-results";

export const ENTITIES = [
  Organization,
  Association,
  UserAccount,
  Membership,
  AccessKey,
  Event,
  Activity,
  Person,
  Registration,
  Result,
  AuditEntry,
];
export const MIGRATIONS = [
  InitialSchema1764374400000,
  KeyScopesAndIdempotency1764892800000,
  AuditActorsAsPlainIds1765152000000,
  StartNumbersAsRunnersReadThem1765411200000,
  RegistrationCodesFromASequence1765670400000,
  Results1765929600000,
];

/** What openDatabase needs: where the database is, and optionally its statement timeout (none if absent). */
export type DatabaseConfig = Pick<Config, "databaseUrl" | "dataDir"> & Partial<Pick<Config, "statementTimeoutMs">>;

/** Builds the data source for the configured database; call `openDatabase` to connect. */
async function createDataSource(config: DatabaseConfig): Promise<DataSource> {
  const common = {
    type: "postgres" as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: "each" as const,
    synchronize: false,
    logging: false,
  };
  if (config.databaseUrl) {
    // statement_timeout is sent when each pooled connection opens, so it holds for every query on it.
    const extra = config.statementTimeoutMs ? { statement_timeout: config.statementTimeoutMs } : {};
    return new DataSource({ ...common, url: config.databaseUrl, poolSize: 10, extra });
  }
  // Imported here, not above: a server on PostgreSQL never loads PGlite (a few MB of memory).
  const { embeddedDriver } = await import("./embedded-pool");
  return new DataSource({ ...common, driver: embeddedDriver(config.dataDir) });
}

// Any fixed number: every regsync process takes this advisory lock to migrate.
const MIGRATION_LOCK = 727_001;

/**
 * Applies pending migrations. On PostgreSQL several instances may start at once; the advisory lock,
 * held by one session for the whole run, lets one migrate while the others wait and then find nothing to do.
 * That session runs the migrations without the statement timeout: rewriting a large table may take longer.
 */
async function migrate(dataSource: DataSource, shared: boolean): Promise<void> {
  if (!shared) {
    await dataSource.runMigrations();
    return;
  }
  const session = dataSource.createQueryRunner();
  await session.connect();
  try {
    await session.query("SET statement_timeout = 0");
    await session.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    const migrations = new MigrationExecutor(dataSource, session);
    migrations.transaction = dataSource.options.migrationsTransactionMode ?? "all";
    await migrations.executePendingMigrations();
  } finally {
    await session.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    await session.query("RESET statement_timeout").catch(() => undefined);
    await session.release();
  }
}

/** Connects and applies pending migrations; the embedded database is locked to this process until destroyed. */
export async function openDatabase(config: DatabaseConfig): Promise<DataSource> {
  if (!config.databaseUrl) fs.mkdirSync(config.dataDir, { recursive: true });
  const release = config.databaseUrl ? () => {} : lockDataDir(config.dataDir);
  let dataSource: DataSource;
  try {
    dataSource = await createDataSource(config);
    await dataSource.initialize();
    await migrate(dataSource, Boolean(config.databaseUrl));
    // PGlite (0.5) takes the setting but never cancels a statement: it runs on this process's only
    // thread and has no timer to interrupt it. Set anyway, so that a PGlite that can will.
    if (!config.databaseUrl && config.statementTimeoutMs)
      await dataSource.query(`SET statement_timeout = ${Math.floor(config.statementTimeoutMs)}`);
  } catch (error) {
    release();
    throw error;
  }
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    await destroy();
    release();
  };
  return dataSource;
}
