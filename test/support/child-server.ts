// Starts the built server (`dist/src/index.js`, made by `npm run build`) as a child process, for the
// tests that need several server processes or kill one mid-request.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildServer {
  url: string;
  pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves when the process has ended (and been reaped: its pid no longer looks alive). */
  exited: Promise<ChildExit>;
  /** Sends the signal and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<ChildExit>;
}

export interface ChildServerEnv {
  /** null or absent: the embedded database in dataDir. */
  databaseUrl?: string | null;
  dataDir?: string;
  /** More variables, like ACCOUNT_DOMAIN or BODY_LIMIT_BYTES. */
  extra?: Record<string, string>;
  /** Command-line arguments of the server, like `npm start`'s --demo. */
  args?: string[];
}

const SERVER = path.join(__dirname, "../../dist/src/index.js");
const CLI = path.join(__dirname, "../../dist/src/cli/main.js");
const running = new Set<ChildProcess>();

/** A port nobody listens on right now (the server prints the port it was given, so 0 will not do). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

// The test runner's own DATABASE_URL names the PostgreSQL server, not the run's database: never inherit it.
// Nor vitest's NODE_ENV=test, which changes what Apollo Server does (it then ignores SIGTERM and SIGINT):
// a child runs as `npm start` does.
function environment(env: ChildServerEnv, more: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { NODE_ENV: _testing, ...inherited } = process.env;
  return { ...inherited, DATABASE_URL: env.databaseUrl ?? "", DATA_DIR: env.dataDir ?? "", ...env.extra, ...more };
}

export async function startChildServer(env: ChildServerEnv): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER, ...(env.args ?? [])], {
    env: environment(env, { PORT: String(port), HOST: "127.0.0.1" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<ChildExit>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${output}`)), 60_000);
    const listening = () => {
      if (!output.includes("listening")) return;
      clearTimeout(timer);
      child.stdout!.off("data", listening);
      resolve();
    };
    child.stdout!.on("data", listening);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${signal ?? code}) before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    exited,
    kill(signal = "SIGTERM") {
      child.kill(signal);
      return exited;
    },
  };
}

/** Runs the operator CLI (`dist/src/cli/main.js`) to completion; rejects unless it exits with 0. */
export async function runCli(env: ChildServerEnv, args: string[]): Promise<string> {
  const child = spawn(process.execPath, [CLI, ...args], { env: environment(env), stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  running.delete(child);
  if (code !== 0) throw new Error(`cli ${args.join(" ")} exited with ${code}:\n${stderr}`);
  return stdout;
}

/** Kills (SIGKILL) every child these helpers started that is still running; for afterAll. */
export async function killChildren(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      // A child still in the set has yet to emit "exit" (the set is cleared then), so `gone` resolves.
      child.kill("SIGKILL");
      return gone;
    }),
  );
}
