// The TypeORM data source: PostgreSQL when DATABASE_URL is set, else the embedded PGlite on disk.
import "reflect-metadata";
import fs from "node:fs";
import { DataSource } from "typeorm";
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
import { UserAccount } from "../entities/user-account";
import { lockDataDir } from "./embedded-lock";
import { InitialSchema1764374400000 } from "./migrations/1764374400000-initial-schema";

export const ENTITIES = [
  Organization, Association, UserAccount, Membership, AccessKey,
  Event, Activity, Person, Registration, AuditEntry,
];
export const MIGRATIONS = [InitialSchema1764374400000];

/** Builds the data source for the configured database; call `openDatabase` to connect. */
async function createDataSource(config: Pick<Config, "databaseUrl" | "dataDir">): Promise<DataSource> {
  const common = {
    type: "postgres" as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: "each" as const,
    synchronize: false,
    logging: false,
  };
  if (config.databaseUrl) {
    return new DataSource({ ...common, url: config.databaseUrl, poolSize: 10 });
  }
  // Imported here, not above: a server on PostgreSQL never loads PGlite (a few MB of memory).
  const { embeddedDriver } = await import("./embedded-pool");
  return new DataSource({ ...common, driver: embeddedDriver(config.dataDir) });
}

/** Connects and applies pending migrations; the embedded database is locked to this process until destroyed. */
export async function openDatabase(config: Pick<Config, "databaseUrl" | "dataDir">): Promise<DataSource> {
  if (!config.databaseUrl) fs.mkdirSync(config.dataDir, { recursive: true });
  const release = config.databaseUrl ? () => {} : lockDataDir(config.dataDir);
  let dataSource: DataSource;
  try {
    dataSource = await createDataSource(config);
    await dataSource.initialize();
    await dataSource.runMigrations();
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
