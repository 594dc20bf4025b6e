// PGlite is one database session. typeorm-pglite hands that one session to every caller, so two
// requests' transactions would interleave on it. This pool lends the session to one holder at a
// time: a caller waits until the previous query runner has released it.
import { PGliteDriver } from "typeorm-pglite";

type Release = (err?: unknown) => void;
type ConnectCallback = (err: unknown, connection: unknown, release: Release) => void;

interface PoolClass {
  new (...args: unknown[]): {
    connect(callback: ConnectCallback): Promise<void>;
    query(...args: unknown[]): Promise<unknown>;
    end(callback: (err: unknown) => void): void;
    on(event: string, listener: (...args: unknown[]) => void): unknown;
  };
}

/** A `pg`-shaped driver module for TypeORM whose pool serializes access to the embedded session. */
export function embeddedDriver(dataDir: string): { Pool: PoolClass } {
  const Base = (new PGliteDriver({ dataDir }).driver as unknown as { Pool: PoolClass }).Pool;
  let tail: Promise<void> = Promise.resolve();

  class SerializedPool extends Base {
    async connect(callback: ConnectCallback): Promise<void> {
      let release!: () => void;
      const turn = new Promise<void>((resolve) => (release = resolve));
      const previous = tail;
      tail = previous.then(() => turn);
      await previous;
      let released = false;
      await super.connect((err, connection) =>
        callback(err, connection, () => {
          if (!released) {
            released = true;
            release();
          }
        }),
      );
    }
  }
  return { Pool: SerializedPool };
}
