// With DATABASE_URL: a fresh PostgreSQL database for this run, dropped afterwards.
// Without: a migrated embedded database made once here, which each test file's server copies
// (creating and migrating a PGlite folder costs about 10 s of CPU; copying one, well under 1).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/db/data-source";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string | null;
    /** Embedded runs: a migrated, closed PGlite folder that `temporaryDataDir()` copies; null on PostgreSQL. */
    embeddedTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const template = fs.mkdtempSync(path.join(os.tmpdir(), "regsync-template-"));
    // Migrated like any first start; closing it removes its lock file, so copies start unlocked.
    const db = await openDatabase({ dataDir: template });
    await db.destroy();
    project.provide("databaseUrl", null);
    project.provide("embeddedTemplate", template);
    console.log("Tests run on the embedded database (PGlite); set DATABASE_URL to run them on PostgreSQL.");
    return () => fs.rmSync(template, { recursive: true, force: true });
  }
  project.provide("embeddedTemplate", null);
  const name = `regsync_test_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // Migrate once here, so that test files running side by side do not race to create the schema.
  const db = await openDatabase({ databaseUrl: url.toString(), dataDir: "" });
  await db.destroy();
  project.provide("databaseUrl", url.toString());
  console.log(`Tests run on PostgreSQL, fresh database ${name}.`);
  return async () => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  };
}
