// PGlite is a single-process database: two processes on one data folder would corrupt it.
// A lock file with the owner's pid turns that into a clear message.
import fs from "node:fs";
import path from "node:path";

/**
 * Which process a pid is: the boot and the process's start time (Linux), so that a lock left by a
 * crash is not taken for a live one when, after a restart or reboot, another process got its pid.
 * Undefined where the system does not say.
 */
function identity(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22, starttime; fields are counted after the command name, which may hold spaces.
    const startTime = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    return `${fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim()}/${startTime}`;
  } catch {
    return undefined;
  }
}

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
      fs.writeFileSync(file, `${process.pid}\n${identity(process.pid) ?? ""}`, { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const [pid, recorded] = fs.readFileSync(file, "utf8").split("\n");
      const owner = Number(pid);
      const sameProcess = !recorded || identity(owner) === undefined || identity(owner) === recorded;
      if (owner && owner !== process.pid && alive(owner) && sameProcess) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${owner} (a running server?). ` +
            `Stop it first, or set DATABASE_URL to use PostgreSQL, which many processes can share.`,
          { cause: error },
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
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8").split("\n")[0] === String(process.pid))
      fs.rmSync(file, { force: true });
  };
  process.once("exit", release);
  return release;
}
