// How a sync batch with failing items is handled: the one list GraphQL's SyncMode enum and REST's `mode` parameter follow.
import type { SyncMode } from "./registration-sync";

export const SYNC_MODES = ["AllOrNothing", "Partial"] as const satisfies readonly SyncMode[];

/** REST's lower-case names of the modes (`mode=partial`), in SYNC_MODES' order. */
export const SYNC_MODE_PARAMETERS = { all: "AllOrNothing", partial: "Partial" } as const satisfies Record<
  string,
  SyncMode
>;

// A mode added to SyncMode but not here fails to compile.
type Unlisted = Exclude<
  SyncMode,
  (typeof SYNC_MODES)[number] | (typeof SYNC_MODE_PARAMETERS)[keyof typeof SYNC_MODE_PARAMETERS]
>;
const everyModeListed: Unlisted extends never ? true : never = true;
void everyModeListed;
