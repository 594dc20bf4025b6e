// Where an export (or an import's answer saved with --out) goes: a file replaced only once complete, or stdout.
import { open, rename, rm } from "node:fs/promises";
import type { CliIo } from "./commands";

/** Where downloaded bytes go: a file, replaced only once it is complete, or stdout. */
export interface Sink {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** Leaves no partial file behind. */
  abort(): Promise<void>;
}

export async function fileSink(file: string): Promise<Sink> {
  const part = `${file}.${process.pid}.part`;
  const handle = await open(part, "w");
  let closed = false;
  const closeHandle = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    write: async (chunk) => {
      await handle.write(chunk);
    },
    close: async () => {
      await closeHandle();
      await rename(part, file);
    },
    abort: async () => {
      await closeHandle().catch(() => undefined);
      await rm(part, { force: true });
    },
  };
}

/** Stdout: raw bytes when the io takes them (main.ts does), else whole lines through `out`. */
export function stdoutSink(io: CliIo): Sink {
  if (io.write) {
    const write = io.write.bind(io);
    return { write, close: async () => undefined, abort: async () => undefined };
  }
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  let pending = "";
  return {
    write: async (chunk) => {
      pending += decoder.decode(chunk, { stream: true });
      const end = pending.lastIndexOf("\n");
      if (end < 0) return;
      io.out(pending.slice(0, end));
      pending = pending.slice(end + 1);
    },
    close: async () => {
      pending += decoder.decode();
      if (pending) io.out(pending);
    },
    abort: async () => undefined,
  };
}
