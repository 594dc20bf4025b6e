// With DATABASE_URL: a fresh PostgreSQL database for this run, dropped afterwards.
// Without: each test file opens its own embedded database in a temporary folder.
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/db/data-source";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string | null;
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    project.provide("databaseUrl", null);
    console.log("Tests run on the embedded database (PGlite); set DATABASE_URL to run them on PostgreSQL.");
    return;
  }
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
