// A `pg`-shaped driver for TypeORM over the embedded PGlite. PGlite is one database session, so the
// pool lends it to one query runner at a time: a transaction never interleaves with another
// request's statements. (typeorm-pglite shares one process-wide session among all callers and all
// data sources; it was dropped for that reason.)
import { EventEmitter } from "node:events";
import { PGlite, types } from "@electric-sql/pglite";

type Release = (err?: unknown) => void;
type ConnectCallback = (err: unknown, connection: unknown, release: Release) => void;
type QueryCallback = (err: unknown, result?: unknown) => void;

// PGlite sends JS booleans as 't'/'f' text, which PostgreSQL rejects in some contexts.
const serializeBoolean = (value: unknown) => (value === true ? "TRUE" : value === false ? "FALSE" : String(value));

/** The shape node-postgres answers with, which TypeORM reads (`rows`, `rowCount`, `command`). */
function pgResult(sql: string, result: { rows: unknown[]; affectedRows?: number }) {
  const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? "";
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length, command };
}

export function embeddedDriver(dataDir: string): { Pool: new () => EventEmitter } {
  let database: Promise<PGlite> | undefined;
  const open = () => (database ??= PGlite.create({ dataDir, serializers: { [types.BOOL]: serializeBoolean } }));
  let tail: Promise<void> = Promise.resolve();

  class Connection extends EventEmitter {
    constructor(private readonly db: PGlite) {
      super();
    }

    query(sql: string, params?: unknown[] | QueryCallback, callback?: QueryCallback): Promise<unknown> {
      const cb = typeof params === "function" ? params : callback;
      const values = Array.isArray(params) ? params : [];
      // Without parameters a string may hold several statements (migrations); PGlite's exec runs them.
      const run = values.length
        ? this.db.query(sql, values).then((r) => pgResult(sql, r))
        : this.db.exec(sql).then((results) => pgResult(sql, results[results.length - 1] ?? { rows: [] }));
      return run.then(
        (result) => {
          cb?.(null, result);
          return result;
        },
        (error) => {
          if (cb) return cb(error);
          throw error;
        },
      );
    }
  }

  class SerializedPool extends EventEmitter {
    async connect(callback: ConnectCallback): Promise<void> {
      let done!: () => void;
      const turn = new Promise<void>((resolve) => (done = resolve));
      const previous = tail;
      tail = previous.then(() => turn);
      await previous;
      let released = false;
      const release = () => {
        if (!released) {
          released = true;
          done();
        }
      };
      try {
        callback(null, new Connection(await open()), release);
      } catch (error) {
        release();
        callback(error, null, () => {});
      }
    }

    end(callback: (err?: unknown) => void): void {
      const closing = database;
      database = undefined;
      (closing ? closing.then((db) => db.close()) : Promise.resolve()).then(() => callback(), callback);
    }
  }
  return { Pool: SerializedPool };
}
