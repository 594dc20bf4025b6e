// The import's request body: the file streamed in pieces and hashed again on the way, so a file that changed
// since its Idempotency-Key was made is never applied under that key.
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { causeOf } from "./transfer-server";

export const CHUNK_BYTES = 64 * 1024;

/** A PUT of the file under way: its answer, whether every byte was sent, and how to stop sending. */
export interface Upload {
  response: Response;
  complete(): boolean;
  finish(): Promise<void>;
}

export class UploadFailed extends Error {
  constructor(
    readonly cause: unknown,
    readonly bodySent: boolean,
    readonly fileChanged: boolean,
  ) {
    super(causeOf(cause));
  }
}

/** The request never reached a server: no connection was made. */
const UNREACHED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
export const unreached = (error: unknown) =>
  UNREACHED.has(String((error as { cause?: { code?: unknown } }).cause?.code));

/**
 * Streams the file as the request body, read in pieces, never whole. It is hashed again on the way:
 * a file that changed since its key was made ends the request before the server has the whole body,
 * so nothing is applied under a key that names other content.
 */
export async function putFile(
  url: string,
  headers: Record<string, string>,
  file: string,
  fileHash: string,
  onSent: (bytes: number) => void,
  onBodySent: () => void,
): Promise<Upload> {
  const handle = await open(file, "r");
  const hash = createHash("sha256");
  const aborter = new AbortController();
  let sent = 0;
  let complete = false;
  let changed = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) {
        if (hash.digest("hex") !== fileHash) {
          changed = true;
          controller.error(new Error(`${file} changed while it was being sent`));
          return;
        }
        complete = true;
        controller.close();
        onBodySent();
        return;
      }
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      sent += bytesRead;
      controller.enqueue(chunk);
      onSent(sent);
    },
  });
  const finish = async () => {
    // The server may answer before it has read everything (a wrong key): stop sending the rest.
    if (!complete) aborter.abort();
    await handle.close().catch(() => undefined);
  };
  try {
    const response = await fetch(url, {
      method: "PUT",
      headers,
      body,
      duplex: "half",
      signal: aborter.signal,
    } as RequestInit);
    return { response, complete: () => complete, finish };
  } catch (error) {
    await finish();
    throw new UploadFailed(error, complete, changed);
  }
}
