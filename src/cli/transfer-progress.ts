// The progress bar of the import and export commands, and the byte counts it shows.
import { SingleBar } from "cli-progress";
import type { CliIo } from "./commands";

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** A progress bar on stderr, or nothing when it is off. */
export class Progress {
  private readonly bar: SingleBar | undefined;

  /**
   * Drawn on `io.progress` when that is a terminal, or anyway with --progress (on stderr if the io has
   * no stream), where it prints a line every second instead of redrawing one; never with --no-progress.
   */
  constructor(io: CliIo, forced: boolean | undefined, format: string) {
    const stream = forced ? (io.progress ?? process.stderr) : io.progress;
    if (forced === false || !stream || (!forced && !stream.isTTY)) return;
    this.bar = new SingleBar({
      stream,
      format,
      noTTYOutput: true,
      notTTYSchedule: 1000,
      barsize: 30,
      emptyOnZero: true,
    });
  }

  start(total: number, payload: Record<string, string>): void {
    this.bar?.start(total, 0, payload);
  }

  update(value: number, payload: Record<string, string>): void {
    this.bar?.update(value, payload);
  }

  stop(): void {
    this.bar?.stop();
  }
}
