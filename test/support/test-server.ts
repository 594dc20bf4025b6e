// Starts the real app on a real database (the run's PostgreSQL database or a fresh embedded one).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { inject } from "vitest";
import type { DataSource } from "typeorm";
import { createApp } from "../../src/app";
import { loadConfig, type Config } from "../../src/config";
import { openDatabase } from "../../src/db/data-source";

export interface TestServer {
  url: string;
  db: DataSource;
  config: Config;
  close(): Promise<void>;
}

export const onEmbedded = () => !inject("databaseUrl");

export function temporaryDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "regsync-test-"));
}

export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const databaseUrl = inject("databaseUrl");
  const config = loadConfig({ DATABASE_URL: databaseUrl ?? undefined, DATA_DIR: databaseUrl ? undefined : temporaryDataDir(), ...env });
  const db = await openDatabase(config);
  const { app, stop } = await createApp(db, config);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
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
    },
  };
}
