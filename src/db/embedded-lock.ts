// PGlite is a single-process database: two processes on one data folder would corrupt it.
// A lock file with the owner's pid turns that into a clear message.
import fs from "node:fs";
import path from "node:path";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the data folder's lock for this process; returns a release function. @throws Error when another live process holds it. */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, "regsync.lock");
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(fs.readFileSync(file, "utf8"));
      if (owner && owner !== process.pid && alive(owner)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${owner} (a running server?). ` +
            `Stop it first, or set DATABASE_URL to use PostgreSQL, which many processes can share.`,
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === String(process.pid)) fs.rmSync(file, { force: true });
  };
  process.once("exit", release);
  return release;
}
