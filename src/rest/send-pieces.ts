// Large answers are written piece by piece, so that no single string holds all of them.
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Response } from "express";

/**
 * Writes the pieces, waiting whenever the client reads slower than the server writes, and letting the
 * event loop turn between pieces: a fast reader never makes the socket wait, and a 30,000-row answer
 * was rendered whole while nothing else was served (issue 12).
 */
export async function sendPieces(
  res: Response,
  contentType: string,
  pieces: Iterable<string | Uint8Array>,
): Promise<void> {
  res.type(contentType);
  let first = true;
  for (const piece of pieces) {
    if (!first) await nextTurn();
    first = false;
    if (res.destroyed) return;
    if (!res.write(piece)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off("drain", done).off("close", done);
          resolve();
        };
        res.on("drain", done).on("close", done);
      });
    }
  }
  res.end();
}
