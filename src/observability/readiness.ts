// Readiness for /readyz and the container's health check (SPEC §8, issue 6).
import type { DataSource } from "typeorm";

/**
 * Ready: the database answers and no migration is pending. The detail is for anyone who asks, so it
 * names no host or port; why the database is unreachable is in `error`, for the log.
 */
export async function readiness(db: DataSource): Promise<{ ready: boolean; detail: string; error?: unknown }> {
  try {
    await db.query("SELECT 1");
    if (await db.showMigrations()) return { ready: false, detail: "database migrations are pending" };
    return { ready: true, detail: "database reachable, migrations applied" };
  } catch (error) {
    return { ready: false, detail: "database unreachable", error };
  }
}
