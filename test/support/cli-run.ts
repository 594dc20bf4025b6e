// Running the CLI in the test process, its output collected (for test/cli/transfer.test.ts).
import { PassThrough } from "node:stream";
import { runCli } from "../../src/cli/commands";

export interface Run {
  code: number;
  out: string[];
  err: string;
  /** What went to stdout as raw bytes (an export without --out). */
  data: Buffer;
}

export async function cli(argv: string[], env: Record<string, string> = {}, progress?: PassThrough): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const data: Buffer[] = [];
  const code = await runCli(
    argv,
    {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      write: async (chunk) => {
        data.push(Buffer.from(chunk));
      },
      progress,
    },
    env,
  );
  return { code, out, err: err.join("\n"), data: Buffer.concat(data) };
}
