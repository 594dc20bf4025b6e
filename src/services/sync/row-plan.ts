// What the planner decides for each row of a batch, and what it knows when it decides: the types the
// reader, the row rules and the writer share. No database here.
import type { ActivityRef } from "../access";
import type { PersonFields, RegistrationView } from "../registration-view";
import type { ItemKeys, RowError, SyncItemInput } from "../sync-input";

/** A stored registration an item names, and whether the client may edit its person. */
export interface StoredRegistration {
  readonly view: RegistrationView;
  /** Nobody has claimed the person's account (an import created it): the client may edit the person. */
  readonly unclaimed: boolean;
}

/** A person that an insert may attach by `person.id`: one already registered with this organizer. */
export interface AttachablePerson {
  readonly fields: PersonFields;
  readonly unclaimed: boolean;
}

/** A registration of the activity, not cancelled, that holds a start number the batch asks for. */
export interface NumberHolder {
  readonly id: string;
  readonly code: string;
  readonly startNumber: string;
}

/** What the database says about the registrations and persons a batch touches (see batch-reader.ts). */
export interface BatchFacts {
  readonly activity: ActivityRef;
  readonly storedById: ReadonlyMap<string, StoredRegistration>;
  readonly storedByExternalId: ReadonlyMap<string, StoredRegistration>;
  /** By person id: the persons that inserts name by `person.id` and may attach. */
  readonly attachable: ReadonlyMap<string, AttachablePerson>;
  /** Holders of every start number that an item may take, by key (a superset: the rules decide). */
  readonly numberHolders: readonly NumberHolder[];
}

/** One item with the keys read from it before the database is read (see readKeys). */
export interface KeyedItem {
  readonly index: number;
  readonly item: SyncItemInput;
  readonly keys: ItemKeys;
  /** Why the keys could not be read; the row fails with these. */
  readonly errors: readonly RowError[];
}

/** The stored registrations a batch's items name, by id and by the client's externalId. */
export type StoredLookup = Pick<BatchFacts, "storedById" | "storedByExternalId">;

/** The stored registration that an item's keys name: by id, else by the client's externalId. */
export function targetOf(keys: ItemKeys, facts: StoredLookup): StoredRegistration | undefined {
  if (keys.id) return facts.storedById.get(keys.id);
  return keys.externalId ? facts.storedByExternalId.get(keys.externalId) : undefined;
}

/** A row no rule has decided yet: its item, its keys, and the stored registration they name (null: none). */
export interface PendingRow {
  readonly kind: "pending";
  readonly index: number;
  readonly item: SyncItemInput;
  readonly keys: ItemKeys;
  readonly target: StoredRegistration | null;
}

/** A new registration. Its code is drawn once the batch is accepted (see code-assignment.ts); until then it is empty. */
export interface InsertPlan {
  readonly kind: "insert";
  readonly index: number;
  readonly registration: RegistrationView;
  /** The person is created with the registration; else an attached one (see AttachablePerson). */
  readonly newPerson: boolean;
  /** The attached person's fields are changed by the item (only an unclaimed person's may be). */
  readonly personChanged: boolean;
}

/** A stored registration whose start number or (unclaimed) person the item changes. */
export interface UpdatePlan {
  readonly kind: "update";
  readonly index: number;
  readonly stored: RegistrationView;
  readonly registration: RegistrationView;
  readonly numberChanged: boolean;
  readonly personChanged: boolean;
}

/** A stored registration that the item leaves as it is. */
export interface UnchangedPlan {
  readonly kind: "unchanged";
  readonly index: number;
  readonly stored: RegistrationView;
}

/** A row that a rule refused; it writes nothing, and its registration stays as stored. */
export interface FailedPlan {
  readonly kind: "failed";
  readonly index: number;
  readonly errors: readonly RowError[];
  /** The registration the row named, as stored; null for an insert (or a row that named none it may change). */
  readonly stored: RegistrationView | null;
}

/** What the planner decided for a row. */
export type RowPlan = InsertPlan | UpdatePlan | UnchangedPlan | FailedPlan;

/** A row that the planner will write or leave: a registration that exists at the end of the batch. */
export type KeptPlan = InsertPlan | UpdatePlan | UnchangedPlan;

/** A row as the rules see it: decided, or not yet. */
export type DraftRow = PendingRow | RowPlan;

/** The registration a kept row has at the end of the batch. */
export function registrationOf(plan: KeptPlan): RegistrationView {
  return plan.kind === "unchanged" ? plan.stored : plan.registration;
}

/** The registration a kept row names as stored; null for an insert. */
export function storedOf(plan: KeptPlan): RegistrationView | null {
  return plan.kind === "insert" ? null : plan.stored;
}

/** The row failed with `error`: a replacement for it (the row itself is not changed). */
export function failed(row: DraftRow, error: RowError): FailedPlan {
  const errors = row.kind === "failed" ? [...row.errors, error] : [error];
  const stored = row.kind === "pending" || row.kind === "insert" ? null : row.stored;
  return { kind: "failed", index: row.index, errors, stored };
}
