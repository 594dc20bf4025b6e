// Large answers are written piece by piece, so that no single string holds all of them.
import type { Response } from "express";

/** Writes the pieces, waiting whenever the client reads slower than the server writes. */
export async function sendPieces(res: Response, contentType: string, pieces: Iterable<string | Uint8Array>): Promise<void> {
  res.type(contentType);
  for (const piece of pieces) {
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
