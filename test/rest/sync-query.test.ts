// The sync's query parameters as a class (rest/query-parameters.ts): pure, no HTTP; the HTTP contract is in sync-rules and openapi tests.
import { describe, expect, it } from "vitest";
import { readSyncQuery, syncQueryValues } from "../../src/rest/query-parameters";

describe("a sync's query parameters", () => {
  it("default to all or nothing, for real", () => {
    expect(readSyncQuery({})).toEqual({ mode: "AllOrNothing", dryRun: false });
    expect(readSyncQuery({ mode: "partial", dryRun: "true" })).toEqual({ mode: "Partial", dryRun: true });
  });

  it("refuse any other value with the message the API has always given", () => {
    expect(() => readSyncQuery({ mode: "some" })).toThrow("mode must be all or partial");
    expect(() => readSyncQuery({ mode: ["all", "partial"] })).toThrow("mode must be all or partial");
    expect(() => readSyncQuery({ dryRun: "yes" })).toThrow("dryRun must be true or false");
  });

  it("list their values for /openapi.json from the same decorators", () => {
    expect(syncQueryValues("mode")).toEqual(["all", "partial"]);
    expect(syncQueryValues("dryRun")).toEqual(["true", "false"]);
  });
});
