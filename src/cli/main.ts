// Entry point of the operator CLI: npm run cli -- <command> ... (see commands.ts).
import "reflect-metadata";
import { loadEnvFile } from "../config";
import { runCli } from "./commands";

loadEnvFile();
// A reader that stops early (`| head`) closes stdout; the write that fails says so (see transfer-export.ts), not a crash.
process.stdout.on("error", () => undefined);

void runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  // Waits for each piece to be taken, so an export piped into a slow reader is not held in memory.
  write: (chunk) =>
    new Promise((resolve, reject) => process.stdout.write(chunk, (error) => (error ? reject(error) : resolve()))),
  progress: process.stderr,
}).then((code) => {
  process.exitCode = code;
});
