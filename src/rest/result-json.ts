// The result's JSON answer (SPEC §9): the platform's fields in its order, with the full person as the registration
// answer writes it. The keyed download writes it as it is; the results sync's answer adds syncResultType.
import type { ResultView } from "../services/result-view";
import { personJson } from "./registration-json";

/** A result in the platform's shape: instants in ISO form, the time in milliseconds, splits as stored. */
export function resultJson(view: ResultView): Record<string, unknown> {
  return {
    id: view.id,
    category: view.category,
    person: personJson(view.person),
    position: view.position,
    positionByCategory: view.positionByCategory,
    positionBySex: view.positionBySex,
    splitTimes: view.splitTimes.map(({ distance, time }) => ({ distance, time })),
    startNumber: view.startNumber,
    time: view.time,
    status: view.status,
    registrationId: view.registrationId,
    created: view.created.toISOString(),
    modified: view.modified.toISOString(),
  };
}
