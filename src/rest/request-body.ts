// Request bodies as streams: decoded (gzip, deflate) and held to the size limit while they arrive,
// so a body is never read whole before it is parsed.
import type { IncomingMessage } from "node:http";
import type { RequestHandler } from "express";
import type { Readable, Transform } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import { problem } from "./problem";

// The unread rest of the body is not drained: the connection is closed after the answer instead.
const tooLarge = (limit: number) => {
  const error = problem(
    413,
    "body-too-large",
    "Content Too Large",
    `The request body is larger than this server accepts (${limit} bytes)`,
  );
  error.headers.Connection = "close";
  return error;
};

/** Whether a body's declared length is over `limit`; a compressed body's is not what the limit counts. */
function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  const encoding = String(req.headers["content-encoding"] ?? "identity")
    .trim()
    .toLowerCase();
  return encoding === "identity" && Number(req.headers["content-length"]) > limit;
}

/**
 * Refuses a body whose Content-Length is over `limit` with 413 at once, before any of it is read; for
 * routes whose body parser (express.json) would otherwise read the whole body before refusing it.
 */
export function declaredLengthLimit(limit: number): RequestHandler {
  return (req, _res, next) => {
    if (declaredTooLarge(req, limit)) throw tooLarge(limit);
    next();
  };
}

/**
 * Reads and drops what a reader left of a body it refused (a broken line, too many columns). Left unread,
 * the client's upload would stall until the keep-alive timeout resets the connection, and the answer
 * explaining the refusal would be lost. Past `allowance` more bytes the connection is closed instead.
 */
function discardRest(req: IncomingMessage, decoder: Transform | null, allowance: number): void {
  if (decoder) {
    req.unpipe(decoder);
    decoder.destroy();
  }
  let left = allowance;
  req.on("data", (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) req.destroy();
  });
  req.resume();
}

/**
 * The body's bytes, chunk by chunk. Stopping early leaves the connection open so that the problem
 * document can still be sent; the rest of the body is then read and dropped (see discardRest).
 * @throws HttpProblem 413 past `limit` bytes, 415 for an unknown Content-Encoding, 400 for a broken one.
 */
export async function* bodyChunks(req: IncomingMessage, limit: number): AsyncGenerator<Buffer> {
  const encoding = String(req.headers["content-encoding"] ?? "identity")
    .trim()
    .toLowerCase();
  let decoder: Transform | null = null;
  // A body over the limit is not read further: its answer closes the connection.
  let closing = false;
  try {
    if (encoding === "gzip" || encoding === "x-gzip") decoder = createGunzip();
    else if (encoding === "deflate") decoder = createInflate();
    else if (encoding !== "identity") {
      throw problem(
        415,
        "unsupported-media-type",
        "Unsupported Media Type",
        `Content-Encoding ${encoding} is not supported; send gzip, deflate or no encoding`,
      );
    }
    const source: Readable = decoder ? req.pipe(decoder) : req;
    closing = declaredTooLarge(req, limit);
    if (closing) throw tooLarge(limit);
    let size = 0;
    for await (const chunk of source.iterator({ destroyOnReturn: false })) {
      size += (chunk as Buffer).length;
      closing = size > limit;
      if (closing) throw tooLarge(limit);
      yield chunk as Buffer;
    }
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("Z_")) {
      throw problem(
        400,
        "malformed-body",
        "Bad Request",
        `The body is not valid ${encoding}: ${(error as Error).message}`,
      );
    }
    throw error;
  } finally {
    if (!closing && !req.complete) discardRest(req, decoder, limit);
  }
}
