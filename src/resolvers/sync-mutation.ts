// What every sync mutation (syncRegistrations, syncResults) shares: the idempotency key's handling, and row
// errors as userErrors. The sync itself is the service's (services/sync/run-sync.ts).
import { createHash } from "node:crypto";
import { GraphQLError } from "graphql";
import type { GraphQLContext } from "../schema/context";
import type { UserError } from "../schema/user-error";
import { inUseDetail, runIdempotently, type BeforeCommit } from "../services/idempotency";
import type { RequestContext } from "../services/request-context";
import type { RowError } from "../services/sync-input";

/** A row error as a userError: its path is the item's (`items.3.person.birthDate`). */
export function userError(error: RowError): UserError {
  return {
    code: error.code,
    path: ["items", String(error.index), ...(error.field ? error.field.split(".") : [])],
    message: error.message,
    registrationId: error.registrationId ?? null,
  };
}

const PAYLOAD_TYPE = "application/vnd.regsync.sync-payload+json";

/** One sync mutation's call: its name and arguments (what a repeat must match), and its idempotency key. */
export interface SyncCall {
  mutation: string;
  arguments: unknown[];
  idempotencyKey: string | null | undefined;
}

/**
 * Runs a sync once per idempotency key: the first call runs it and keeps its payload; a repeat with the same
 * arguments gets that payload again (`revive` makes it from the stored JSON); other arguments are BAD_USER_INPUT;
 * while the first is running, CONFLICT with extensions.retryAfterSeconds.
 */
export async function idempotentSync<O, P>(
  context: GraphQLContext,
  ctx: RequestContext,
  call: SyncCall,
  run: (beforeCommit: BeforeCommit<O> | undefined) => Promise<O>,
  payloadOf: (outcome: O) => P,
  revive: (stored: P) => P,
): Promise<P> {
  const done = await runIdempotently<O>(
    context.db,
    ctx,
    {
      key: call.idempotencyKey,
      hash: () =>
        createHash("sha256")
          .update(JSON.stringify([call.mutation, ...call.arguments]))
          .digest("hex"),
    },
    {
      run,
      encode: (outcome) => ({
        status: 200,
        contentType: PAYLOAD_TYPE,
        body: Buffer.from(JSON.stringify(payloadOf(outcome))),
      }),
    },
  );
  switch (done.kind) {
    case "ran":
      return payloadOf(done.result);
    case "replay":
      return revive(JSON.parse(done.answer.body.toString("utf8")) as P);
    case "running":
      throw new GraphQLError(inUseDetail("idempotencyKey", done), {
        extensions: { code: "CONFLICT", retryAfterSeconds: done.retryAfterSeconds },
      });
    case "other-request":
      throw new GraphQLError("This idempotencyKey was used with other arguments; use a new key for a new request", {
        extensions: { code: "BAD_USER_INPUT" },
      });
  }
}
