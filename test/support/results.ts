// Results for the read side's tests, written with plain SQL until the results sync exists: one person per result,
// registered (Confirmed) in the activity through the fixtures, with the values a test needs.
import type { DataSource } from "typeorm";
import { newObjectId } from "../../src/db/object-id";
import type { ResultStatus, SplitTime } from "../../src/entities/result";
import { nativeRegistration } from "./fixtures";

export interface ResultSpec {
  givenName: string;
  surname: string;
  status?: ResultStatus;
  category?: string | null;
  position?: number | null;
  positionByCategory?: number | null;
  positionBySex?: number | null;
  /** Milliseconds. */
  time?: number | null;
  splitTimes?: SplitTime[];
  startNumber?: string | null;
  sex?: "Male" | "Female";
  birthDate?: string;
  country?: string;
  isProfilePublic?: boolean;
  modifiedAt?: string;
}

export interface InsertedResult {
  id: string;
  personId: string;
  registrationId: string;
}

/** A registered runner and their result in the activity. */
export async function insertResult(db: DataSource, activityId: string, spec: ResultSpec): Promise<InsertedResult> {
  const registration = await nativeRegistration(db, activityId, {
    givenName: spec.givenName,
    surname: spec.surname,
    birthDate: spec.birthDate ?? "1980-05-06",
    isProfilePublic: spec.isProfilePublic ?? true,
    startNumber: spec.startNumber ?? null,
  });
  await db.query(`UPDATE person SET sex = $2, country = $3 WHERE id = $1`, [
    registration.personId,
    spec.sex ?? "Male",
    spec.country ?? "CZ",
  ]);
  const id = newObjectId();
  await db.query(
    `INSERT INTO result (id, activity_id, person_id, registration_id, status, category, position, position_by_category,
       position_by_sex, time_ms, split_times, start_number, modified_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, coalesce($13::timestamptz, now()))`,
    [
      id,
      activityId,
      registration.personId,
      registration.id,
      spec.status ?? "Finished",
      spec.category ?? null,
      spec.position ?? null,
      spec.positionByCategory ?? null,
      spec.positionBySex ?? null,
      spec.time ?? null,
      JSON.stringify(spec.splitTimes ?? []),
      spec.startNumber ?? null,
      spec.modifiedAt ?? null,
    ],
  );
  return { id, personId: registration.personId, registrationId: registration.id };
}

/**
 * A small race: three men in M40/M30/M20 (Martin Dufek the winner, with a split), a woman in Z30, and one runner
 * of each other status. Jana Soukromá's profile is private.
 */
export async function smallRace(db: DataSource, activityId: string) {
  const dufek = await insertResult(db, activityId, {
    givenName: "Martin",
    surname: "Dufek",
    category: "M40",
    position: 1,
    positionByCategory: 1,
    positionBySex: 1,
    time: 600_000,
    startNumber: "0001",
    birthDate: "1975-11-27",
    splitTimes: [{ distance: 4, time: "2022-09-01T15:10:00.000Z" }],
  });
  const soukroma = await insertResult(db, activityId, {
    givenName: "Jana",
    surname: "Soukromá",
    sex: "Female",
    category: "Z30",
    position: 2,
    positionByCategory: 1,
    positionBySex: 1,
    time: 630_500,
    startNumber: "7",
    birthDate: "1991-03-04",
    country: "SK",
    isProfilePublic: false,
    splitTimes: [
      { distance: 4, time: "2022-09-01T15:11:00.000Z" },
      { distance: 7.5, time: "2022-09-01T15:16:00.000Z" },
    ],
  });
  const novak = await insertResult(db, activityId, {
    givenName: "Petr",
    surname: "Novák",
    category: "M30",
    position: 3,
    positionByCategory: 1,
    positionBySex: 2,
    time: 660_000,
    startNumber: "12",
  });
  const svoboda = await insertResult(db, activityId, {
    givenName: "Jan",
    surname: "Svoboda",
    category: "M20",
    position: 4,
    positionByCategory: 1,
    positionBySex: 3,
    time: 3_723_400,
    startNumber: "3",
    birthDate: "2001-10-01",
  });
  const dnf = await insertResult(db, activityId, {
    givenName: "Karel",
    surname: "Dvořák",
    category: "M40",
    status: "DidNotFinish",
    startNumber: "5",
  });
  const dns = await insertResult(db, activityId, {
    givenName: "Adam",
    surname: "Beneš",
    category: "M30",
    status: "DidNotStart",
    startNumber: "9",
  });
  const dsq = await insertResult(db, activityId, {
    givenName: "Eva",
    surname: "Malá",
    sex: "Female",
    category: "Z30",
    status: "Disqualified",
    startNumber: "4",
  });
  return { dufek, soukroma, novak, svoboda, dnf, dns, dsq };
}
