// Batches for the planner's unit tests: facts as the reader would give them, without a database.
import { newObjectId } from "../../src/db/object-id";
import type { ActivityRef } from "../../src/services/access";
import { personView, type PersonFields, type RegistrationView } from "../../src/services/registration-view";
import type { SyncItemInput } from "../../src/services/sync-input";
import { planBatch, readKeys } from "../../src/services/sync/planner";
import type { NumberHolder, RowPlan, StoredRegistration } from "../../src/services/sync/row-plan";
import type { PlanningFacts, RowRule } from "../../src/services/sync/row-rule";

export const NOW = new Date("2026-03-01T10:00:00Z");

export const ACTIVITY: ActivityRef = {
  id: newObjectId(),
  eventId: newObjectId(),
  name: "10 km",
  startsAt: null,
  organizerId: newObjectId(),
  currency: "CZK",
};

export const PERSON: PersonFields = {
  givenName: "Jana",
  middleName: null,
  surname: "Nová",
  sex: "Female",
  birthDate: "1990-01-02",
  language: null,
  nickname: null,
  country: null,
  isProfilePublic: false,
};

/** A stored registration; `unclaimed` people are the client's to edit. */
export function stored(
  startNumber: string | null,
  options: { personId?: string; unclaimed?: boolean; externalId?: string; state?: RegistrationView["state"] } = {},
): StoredRegistration {
  const id = newObjectId();
  return {
    unclaimed: options.unclaimed ?? false,
    view: {
      id,
      activityId: ACTIVITY.id,
      created: new Date("2026-01-01T00:00:00Z"),
      modified: new Date("2026-01-01T00:00:00Z"),
      code: `C${id.slice(-6).toUpperCase()}`,
      state: options.state ?? "Confirmed",
      startNumber,
      amount: { value: 0, currency: "CZK" },
      source: "External",
      externalId: options.externalId ?? null,
      person: personView(options.personId ?? newObjectId(), PERSON),
    },
  };
}

/** What the reader would answer for a batch over these stored registrations: all of them hold their numbers. */
export function factsOf(registrations: StoredRegistration[], more: Partial<PlanningFacts> = {}): PlanningFacts {
  const holders: NumberHolder[] = registrations.flatMap(({ view }) =>
    view.startNumber && view.state !== "Cancelled"
      ? [{ id: view.id, code: view.code, startNumber: view.startNumber }]
      : [],
  );
  return {
    activity: ACTIVITY,
    storedById: new Map(registrations.map((r) => [r.view.id, r])),
    storedByExternalId: new Map(
      registrations.flatMap((r) => (r.view.externalId ? [[r.view.externalId, r] as const] : [])),
    ),
    attachable: new Map(),
    numberHolders: holders,
    now: NOW,
    label: (index) => `item ${index}`,
    ...more,
  };
}

export async function plan(
  items: SyncItemInput[],
  facts: PlanningFacts,
  rules?: readonly RowRule[],
): Promise<RowPlan[]> {
  return planBatch(await readKeys(items), facts, rules);
}

export const newPerson = (surname: string) => ({ givenName: "Eva", surname, sex: "Female", birthDate: "1991-03-04" });

/** Freezes a value and everything it holds, so that a change to it throws. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    const children = value instanceof Map ? [...value.entries()].flat() : Object.values(value);
    for (const child of children) deepFreeze(child);
  }
  return value;
}
