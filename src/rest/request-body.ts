// Request bodies as streams: decoded (gzip, deflate) and held to the size limit while they arrive,
// so a body is never read whole before it is parsed.
import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import { createGunzip, createInflate } from "node:zlib";
import { problem } from "./problem";

// The unread rest of the body is not drained: the connection is closed after the answer instead.
const tooLarge = (limit: number) => {
  const error = problem(413, "body-too-large", "Content Too Large", `The request body is larger than this server accepts (${limit} bytes)`);
  error.headers.Connection = "close";
  return error;
};

/**
 * The body's bytes, chunk by chunk. Stopping early leaves the connection open so that the problem
 * document can still be sent.
 * @throws HttpProblem 413 past `limit` bytes, 415 for an unknown Content-Encoding, 400 for a broken one.
 */
export async function* bodyChunks(req: IncomingMessage, limit: number): AsyncGenerator<Buffer> {
  const encoding = String(req.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  let source: Readable = req;
  if (encoding === "gzip" || encoding === "x-gzip") source = req.pipe(createGunzip());
  else if (encoding === "deflate") source = req.pipe(createInflate());
  else if (encoding !== "identity") {
    throw problem(415, "unsupported-media-type", "Unsupported Media Type", `Content-Encoding ${encoding} is not supported; send gzip, deflate or no encoding`);
  }
  if (Number(req.headers["content-length"]) > limit && source === req) throw tooLarge(limit);
  let size = 0;
  try {
    for await (const chunk of source.iterator({ destroyOnReturn: false })) {
      size += (chunk as Buffer).length;
      if (size > limit) throw tooLarge(limit);
      yield chunk as Buffer;
    }
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("Z_")) {
      throw problem(400, "malformed-body", "Bad Request", `The body is not valid ${encoding}: ${(error as Error).message}`);
    }
    throw error;
  }
}
