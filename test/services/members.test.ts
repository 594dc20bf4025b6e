// Membership invariants under concurrency: an organization keeps an Owner even when its Owners demote each other at once.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { DataSource } from "typeorm";
import { loadConfig } from "../../src/config";
import { openDatabase } from "../../src/db/data-source";
import { Membership } from "../../src/entities/membership";
import { loadAccess } from "../../src/services/access";
import { OPERATOR } from "../../src/services/caller";
import { InvalidInputError } from "../../src/services/domain-errors";
import { addMember, changeMemberRole, removeMember } from "../../src/services/members";
import { createOrganization } from "../../src/services/organizations";
import type { RequestContext } from "../../src/services/request-context";
import { temporaryDataDir } from "../support/test-server";

const databaseUrl = inject("databaseUrl");
let db: DataSource;
beforeAll(async () => {
  db = await openDatabase(loadConfig(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: temporaryDataDir() }));
});
afterAll(() => db.destroy());

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;

async function contextOf(accountId: string): Promise<RequestContext> {
  return {
    accountId,
    accessKeyId: "test",
    readOnly: false,
    keyOrganizationIds: null,
    ...(await loadAccess(db, accountId)),
  };
}

/** An organization with two Owners, each with the context of a key of their own. */
async function twoOwners() {
  const organization = await createOrganization(OPERATOR, db, { name: unique("Klub"), kind: "Organizer" });
  const add = (login: string) => addMember(OPERATOR, db, { organizationId: organization.id, login, role: "Owner" });
  const first = await add(`${unique("first")}@example.test`);
  const second = await add(`${unique("second")}@example.test`);
  return {
    organizationId: organization.id,
    first,
    second,
    firstCtx: await contextOf(first.accountId),
    secondCtx: await contextOf(second.accountId),
  };
}

const owners = (organizationId: string) => db.getRepository(Membership).countBy({ organizationId, role: "Owner" });

/** Exactly one of two concurrent changes went through; the other was refused as the last Owner's. */
function expectOneLastOwnerRefusal(results: PromiseSettledResult<unknown>[]): void {
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  const refusals = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
  expect(refusals).toHaveLength(1);
  expect(refusals[0]).toBeInstanceOf(InvalidInputError);
  expect(refusals[0]).toMatchObject({ code: "LastOwner", field: "membershipId" });
}

describe("the last Owner", () => {
  it("stays when both Owners demote each other at the same time: one demotion wins, the other is LastOwner", async () => {
    // Several rounds: without the lock, the two counts both see two Owners more often than not.
    for (let round = 0; round < 3; round++) {
      const { organizationId, first, second, firstCtx, secondCtx } = await twoOwners();
      const results = await Promise.allSettled([
        changeMemberRole(firstCtx, db, { membershipId: second.id, role: "Admin" }),
        changeMemberRole(secondCtx, db, { membershipId: first.id, role: "Admin" }),
      ]);
      expectOneLastOwnerRefusal(results);
      expect(await owners(organizationId)).toBe(1);
    }
  });

  it("stays when one Owner is removed while the other is demoted", async () => {
    const { organizationId, first, second, firstCtx, secondCtx } = await twoOwners();
    const results = await Promise.allSettled([
      removeMember(firstCtx, db, second.id),
      changeMemberRole(secondCtx, db, { membershipId: first.id, role: "Member" }),
    ]);
    expectOneLastOwnerRefusal(results);
    expect(await owners(organizationId)).toBe(1);
  });
});
