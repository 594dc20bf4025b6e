// The part of unzipper (no bundled types) that the workbook reader uses to count unpacked bytes.
declare module "unzipper" {
  import type { Duplex, PassThrough } from "node:stream";

  /** One part of the zip, its unpacked bytes as a stream. */
  export interface Entry extends PassThrough {
    path: string;
    autodrain(): unknown;
  }

  /** Reads a zip as it streams in; with `forceStream` its readable side yields the entries. */
  export function Parse(options?: { forceStream?: boolean }): Duplex;

  const unzipper: { Parse: typeof Parse };
  export default unzipper;
}
