import { Column, Entity, PrimaryColumn } from "typeorm";

export type ResultStatus = "Finished" | "DidNotFinish" | "DidNotStart" | "Disqualified";
/** Finished is the default; only a finisher has positions. */
export const RESULT_STATUSES: readonly ResultStatus[] = ["Finished", "DidNotFinish", "DidNotStart", "Disqualified"];

/** A split: where (km from the start) and when (the instant, ISO 8601 in UTC) a runner passed it. */
export interface SplitTime {
  distance: number;
  time: string;
}

/** A person's official result in an activity: one per person per activity. */
@Entity({ name: "result" })
export class Result {
  @PrimaryColumn({ type: "char", length: 24 })
  id: string;

  @Column({ name: "activity_id", type: "char", length: 24 })
  activityId: string;

  @Column({ name: "person_id", type: "char", length: 24 })
  personId: string;

  /** The person's registration in the activity, when there is one. */
  @Column({ name: "registration_id", type: "char", length: 24, nullable: true })
  registrationId: string | null;

  @Column({ type: "text" })
  status: ResultStatus;

  @Column({ type: "text", nullable: true })
  category: string | null;

  @Column({ type: "integer", nullable: true })
  position: number | null;

  @Column({ name: "position_by_category", type: "integer", nullable: true })
  positionByCategory: number | null;

  @Column({ name: "position_by_sex", type: "integer", nullable: true })
  positionBySex: number | null;

  /** Finish time in milliseconds. */
  @Column({ name: "time_ms", type: "bigint", nullable: true })
  timeMs: string | null;

  @Column({ name: "split_times", type: "jsonb" })
  splitTimes: SplitTime[];

  @Column({ name: "start_number", type: "text", nullable: true })
  startNumber: string | null;

  @Column({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Column({ name: "modified_at", type: "timestamptz" })
  modifiedAt: Date;
}
