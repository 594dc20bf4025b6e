// Entry point of the operator CLI: npm run cli -- <command> ... (see commands.ts).
import "reflect-metadata";
import { runCli } from "./commands";

void runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then((code) => {
  process.exitCode = code;
});
