// The results sync as the REST API offers it (SPEC §9): PUT …/results(.json|.csv|.xlsx), on the same
// route code as the registration sync (sync-route.ts).
import type { ResultItemInput, ResultSyncItem } from "../services/result-sync";
import { syncResults } from "../services/result-sync";
import { readResultSyncQuery } from "./query-parameters";
import { resultSyncJson } from "./result-json";
import { RESULT_TABLE } from "./result-table";
import type { SyncEndpoint } from "./sync-route";

export const RESULTS: SyncEndpoint<ResultItemInput, ResultSyncItem, ReturnType<typeof readResultSyncQuery>> = {
  readQuery: readResultSyncQuery,
  run: syncResults,
  table: RESULT_TABLE,
  json: resultSyncJson,
};
