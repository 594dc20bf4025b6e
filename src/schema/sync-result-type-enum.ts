// The SyncResultType enum, apart from enums.ts: its constant lives in the sync service, which imports the input
// classes that import enums.ts, so registering it there would make a cycle of modules.
import { SYNC_RESULT_TYPES } from "../services/registration-sync";
import { graphqlEnum } from "./enums";

export const SyncResultTypeEnum = graphqlEnum(
  SYNC_RESULT_TYPES,
  "SyncResultType",
  "What a sync did with one item (the platform's documented values).",
  {
    Created: "A new registration was created.",
    Updated: "An existing registration changed.",
    Unchanged: "The item equals what is stored.",
    Deleted: "Reserved: deleting is not offered.",
    Skipped: "The item failed and was passed over (partial mode); see its errors.",
  },
);
