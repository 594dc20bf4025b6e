// The built server on a fresh embedded database: demo data and its printed Owner key only when asked
// (DEMO=1, or `npm start`'s --demo). The container runs `node dist/src/index.js` without either.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SEED_ACTIVITY_ID } from "../../src/services/demo-data";
import { killChildren, startChildServer, type ChildServerEnv } from "../support/child-server";
import { basic } from "../support/fixtures";
import { call, getRegistrations } from "../support/http";
import { temporaryDataDir } from "../support/test-server";

afterAll(() => killChildren());

/** Starts the server on a fresh folder, reads what it printed and whether the seed's activity exists, stops it. */
async function firstStart(env: Omit<ChildServerEnv, "dataDir">) {
  const dataDir = temporaryDataDir();
  try {
    const server = await startChildServer({ ...env, dataDir });
    const startList = await call(`${server.url}/api/events/activities/${SEED_ACTIVITY_ID}/startlist.json`);
    const output = server.output();
    expect(await server.kill("SIGTERM")).toEqual({ code: 0, signal: null });
    const key = /Demo access key \(organizer\): (\S+)/.exec(output)?.[1];
    return { output, startList, key, dataDir };
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

describe("demo data on the first start", () => {
  it("is not loaded, and no key printed, when nobody asks (the container's way)", async () => {
    const { output, startList, key, dataDir } = await firstStart({ extra: { DEMO: "" } });
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(key).toBeUndefined();
    expect(output).not.toMatch(/Demo access key|demo-organizer|Authorization: Basic/);
    expect(output).toMatch(/DEMO=1/);
    expect(startList.status).toBe(404);
  });

  it("is loaded with DEMO=1 or npm start's --demo, with a key that works; DEMO=0 wins over --demo", async () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8")).scripts;
    expect(scripts.start).toMatch(/^node dist\/src\/index\.js --demo$/);
    for (const env of [{ extra: { DEMO: "1" } }, { args: ["--demo"], extra: { DEMO: "" } }]) {
      const { startList, key, dataDir } = await firstStart(env);
      expect(startList.status, JSON.stringify(env)).toBe(200);
      const again = await startChildServer({ dataDir, extra: { DEMO: "" } });
      expect((await getRegistrations(again.url, SEED_ACTIVITY_ID, basic(key!))).status).toBe(200);
      await again.kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    const refused = await firstStart({ args: ["--demo"], extra: { DEMO: "0" } });
    fs.rmSync(refused.dataDir, { recursive: true, force: true });
    expect(refused.key).toBeUndefined();
    expect(refused.startList.status).toBe(404);
  });
});
