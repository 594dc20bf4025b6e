// A result's JSON (SPEC §9): the platform's fields in its order, the full person as the registration answer
// has it, then the fields it does not have (status, registrationId, created, modified).
import type { ResultSyncItem } from "../services/result-sync";
import type { ResultView } from "../services/result-view";
import { personJson } from "./registration-json";

/** A result as the REST answers write it. */
export function resultJson(r: ResultView): Record<string, unknown> {
  return {
    id: r.id,
    category: r.category,
    person: personJson(r.person),
    position: r.position,
    positionByCategory: r.positionByCategory,
    positionBySex: r.positionBySex,
    splitTimes: r.splitTimes,
    startNumber: r.startNumber,
    time: r.time,
    status: r.status,
    registrationId: r.registrationId,
    created: r.created.toISOString(),
    modified: r.modified.toISOString(),
  };
}

/** One row of a results sync's answer: the result as stored, and what the sync did (with a failed row's errors). */
export function resultSyncJson(item: ResultSyncItem): Record<string, unknown> {
  const json: Record<string, unknown> = item.result ? resultJson(item.result) : {};
  json.syncResultType = item.syncResultType;
  if (item.errors.length) json.errors = item.errors.map(({ index: _index, ...rest }) => rest);
  return json;
}
