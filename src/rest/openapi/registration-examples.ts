// Examples and media types shared by the registrations resources' operations (the seed's registration and CSV).
import { DEFAULT_COLUMNS } from "../registration-table";
import { problemExample } from "./builders";
import type { JsonSchema } from "./document-types";

export type Format = "json" | "csv";

export const SEED_REGISTRATION = {
  id: "638f0763c5eaf533c891fb76",
  created: "2022-12-06T09:12:03.701Z",
  code: "RGZ196",
  state: "Confirmed",
  startNumber: "0001",
  amount: { value: 85000, currency: "CZK" },
  person: {
    id: "6303aec90f8fc8574e68d664",
    isProfilePublic: true,
    givenName: "Martin",
    surname: "Dufek",
    sex: "Male",
    birthDate: "1975-11-27T00:00:00Z",
    language: "cs",
    nickname: "martin.dufek",
    country: "CZ",
    name: "Martin Dufek",
    ref: "martin.dufek",
  },
};

export const SEED_CSV_HEADER = DEFAULT_COLUMNS.join(",");
export const SEED_CSV = `${SEED_CSV_HEADER}\n638f0763c5eaf533c891fb76,Confirmed,0002,6303aec90f8fc8574e68d664,Martin,,Dufek,Male,1975-11-27\n`;

export const CSV_TEXT: JsonSchema = { type: "string", description: "CSV text in UTF-8." };

export { CSV_UPLOAD_TYPES } from "../upload-media-types";

export const invalidQuery = (detail: string) => problemExample("/problems/invalid-query", "Bad Request", 400, detail);
