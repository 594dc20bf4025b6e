import { Column, Entity, PrimaryColumn } from "typeorm";

export type Sex = "Male" | "Female";
export const SEXES: readonly Sex[] = ["Male", "Female"];

/** The person behind an account. */
@Entity({ name: "person" })
export class Person {
  @PrimaryColumn({ type: "char", length: 24 })
  id: string;

  @Column({ name: "account_id", type: "char", length: 24 })
  accountId: string;

  @Column({ name: "given_name", type: "text" })
  givenName: string;

  @Column({ name: "middle_name", type: "text", nullable: true })
  middleName: string | null;

  @Column({ type: "text" })
  surname: string;

  @Column({ type: "text" })
  sex: Sex;

  @Column({ name: "birth_date", type: "date" })
  birthDate: string;

  @Column({ type: "text", nullable: true })
  language: string | null;

  @Column({ type: "text", nullable: true })
  nickname: string | null;

  @Column({ type: "char", length: 2, nullable: true })
  country: string | null;

  @Column({ name: "is_profile_public", type: "boolean" })
  isProfilePublic: boolean;
}
