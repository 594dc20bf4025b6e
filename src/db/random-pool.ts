// Random bytes drawn from a pool refilled 4 KiB at a time, as Node's own randomUUID does: asking for
// them id by id made one small buffer per id and login, hundreds of thousands for a large import.
import { randomFillSync } from "node:crypto";

const pool = Buffer.alloc(4096);
let used = pool.length;

/** Copies `length` (at most 4,096) fresh random bytes into `target` at `offset`; no byte is handed out twice. */
export function copyRandomBytes(target: Buffer, offset: number, length: number): void {
  if (used + length > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  pool.copy(target, offset, used, used + length);
  used += length;
}
