// Starts the real app on a real database (the run's PostgreSQL database or a fresh embedded one).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { inject } from "vitest";
import type { DataSource } from "typeorm";
import { createApp, type AppOptions } from "../../src/app";
import { loadConfig, type Config } from "../../src/config";
import { openDatabase } from "../../src/db/data-source";
import { createHttpServer } from "../../src/http-server";

export interface TestServer {
  url: string;
  db: DataSource;
  config: Config;
  close(): Promise<void>;
}

export const onEmbedded = () => !inject("databaseUrl");

/**
 * A new folder for an embedded database. On embedded runs it holds a copy of the run's migrated
 * template (global-setup.ts), so opening it applies no migration; on PostgreSQL runs it is empty.
 */
export function temporaryDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "regsync-test-"));
  const template = inject("embeddedTemplate");
  if (template) fs.cpSync(template, dir, { recursive: true });
  return dir;
}

/** The app on a real database. Logs are off unless LOG_LEVEL is given; `options.logDestination` collects them. */
export async function startServer(env: Record<string, string> = {}, options: AppOptions = {}): Promise<TestServer> {
  const databaseUrl = inject("databaseUrl");
  const dataDir = databaseUrl ? undefined : temporaryDataDir();
  // The fuzzing suite sends thousands of requests a minute with one key; rate-limits.test.ts sets its own limits.
  const config = loadConfig({
    DATABASE_URL: databaseUrl ?? undefined,
    DATA_DIR: dataDir,
    REQUESTS_PER_KEY_PER_MINUTE: "100000",
    ANONYMOUS_REQUESTS_PER_MINUTE: "100000",
    LOG_LEVEL: "silent",
    ...env,
  });
  const db = await openDatabase(config);
  const { app, stop } = await createApp(db, config, options);
  const server: Server = await new Promise((resolve) => {
    const s = createHttpServer(app, config).listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    config,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await stop();
      await db.destroy();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
