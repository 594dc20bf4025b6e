// Ids shaped like the seed's (638f01d0c5eaf533c891fac3): 4 bytes of creation time, then random bytes.
import { randomBytes } from "node:crypto";

export const OBJECT_ID = /^[0-9a-f]{24}$/;

export function newObjectId(at: Date = new Date()): string {
  const seconds = Math.floor(at.getTime() / 1000);
  return seconds.toString(16).padStart(8, "0") + randomBytes(8).toString("hex");
}

export function isObjectId(value: unknown): value is string {
  return typeof value === "string" && OBJECT_ID.test(value);
}
