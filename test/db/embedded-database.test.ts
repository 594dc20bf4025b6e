// The embedded database (no DATABASE_URL): persisted on disk, surviving restarts, one process at a time.
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { loadConfig } from "../../src/config";
import { openDatabase } from "../../src/db/data-source";
import { loadDemoData, SEED_ACTIVITY_ID, SEED_REGISTRATION_ID } from "../../src/services/demo-data";
import { basic } from "../support/fixtures";
import { getRegistrations, putJson } from "../support/http";
import { temporaryDataDir } from "../support/test-server";

async function serve(dataDir: string) {
  const config = loadConfig({ DATA_DIR: dataDir });
  const db = await openDatabase(config);
  const { app, stop } = await createApp(db, config);
  const server = await new Promise<import("node:http").Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as import("node:net").AddressInfo).port}`;
  return {
    db,
    url,
    close: async () => {
      await new Promise((r) => server.close(r));
      await stop();
      await db.destroy();
    },
  };
}

describe("embedded database", () => {
  it("keeps every committed sync across a restart", async () => {
    const dataDir = temporaryDataDir();
    const first = await serve(dataDir);
    const { keys } = await loadDemoData(first.db);
    const reply = await putJson(first.url, SEED_ACTIVITY_ID, basic(keys.timing), [
      { id: SEED_REGISTRATION_ID, startNumber: "0001" },
      { externalId: "R1", person: { givenName: "Jiřina", surname: "Trvalá", sex: "Female", birthDate: "1950-05-05" } },
    ]);
    expect(reply.status).toBe(200);
    await first.close();

    const second = await serve(dataDir);
    try {
      const stored = await getRegistrations(second.url, SEED_ACTIVITY_ID, basic(keys.timing));
      expect(stored.json.find((r: any) => r.id === SEED_REGISTRATION_ID).startNumber).toBe("0001");
      expect(stored.json.find((r: any) => r.externalId === "R1").person.surname).toBe("Trvalá");
    } finally {
      await second.close();
    }
  }, 120_000);

  it("refuses a second process on the same data folder with a clear message", async () => {
    const dataDir = temporaryDataDir();
    const { execFile } = await import("node:child_process");
    const { writeFileSync } = await import("node:fs");
    // A live process other than this one holds the lock.
    const other = execFile("sleep", ["30"]);
    writeFileSync(`${dataDir}/regsync.lock`, String(other.pid));
    try {
      await expect(openDatabase({ dataDir })).rejects.toThrow(/in use by process \d+/);
    } finally {
      other.kill();
    }
  });
});
