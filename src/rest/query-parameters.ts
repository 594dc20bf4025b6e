// Every REST query parameter checked before a route reads it, as GraphQL's text arguments are (text-arguments.ts),
// and the sync's parameters as a class-validator class.
import { IsIn, IsOptional, getMetadataStorage } from "class-validator";
import type { RequestHandler } from "express";
import { fieldFailures } from "../services/input-validation";
import type { SyncMode } from "../services/registration-sync";
import { SYNC_MODE_PARAMETERS } from "../services/sync-modes";
import { MAX_ARGUMENT_LENGTH, controlCharacterIn } from "../services/text-arguments";
import { problem } from "./problem";

const shown = (name: string) => (name.length > 40 ? `${name.slice(0, 40)}…` : name);

/** Refuses, with a 400 problem naming the parameter, a value over MAX_ARGUMENT_LENGTH or holding a control character. */
export function queryParameterChecks(): RequestHandler {
  return (req, _res, next) => {
    for (const [name, value] of Object.entries(req.query)) {
      for (const text of [value].flat()) {
        if (typeof text !== "string") continue;
        const control = controlCharacterIn(text) ?? controlCharacterIn(name);
        if (control) {
          throw problem(
            400,
            "invalid-query",
            "Bad Request",
            `Query parameter ${JSON.stringify(shown(name))} contains the control character ${control}; text must not contain control characters.`,
          );
        }
        if (text.length > MAX_ARGUMENT_LENGTH) {
          throw problem(
            400,
            "invalid-query",
            "Bad Request",
            `Query parameter ${JSON.stringify(shown(name))} has ${text.length} characters; the limit is ${MAX_ARGUMENT_LENGTH}.`,
          );
        }
      }
    }
    next();
  };
}

const MODE_NAMES = Object.keys(SYNC_MODE_PARAMETERS) as (keyof typeof SYNC_MODE_PARAMETERS)[];
const FLAGS = ["true", "false"];

/** The query parameters of a sync (PUT): one class, whose decorators the route checks and /openapi.json lists. */
export class SyncQuery {
  @IsOptional()
  @IsIn(MODE_NAMES, { message: `mode must be ${MODE_NAMES.join(" or ")}` })
  mode?: unknown;

  @IsOptional()
  @IsIn(FLAGS, { message: `dryRun must be ${FLAGS.join(" or ")}` })
  dryRun?: unknown;
}

/** The values a SyncQuery parameter may take, read from its `@IsIn` decorator (for /openapi.json). */
export function syncQueryValues(name: keyof SyncQuery): string[] {
  const isIn = getMetadataStorage()
    .getTargetValidationMetadatas(SyncQuery, "", true, false)
    .find((meta) => meta.propertyName === name && meta.name === "isIn");
  return [...((isIn?.constraints?.[0] as string[] | undefined) ?? [])];
}

/**
 * A sync's mode and dry-run flag from the query (absent: all or nothing, for real).
 * @throws HttpProblem 400 naming the first parameter that is not one of its values.
 */
export function readSyncQuery(query: Record<string, unknown>): { mode: SyncMode; dryRun: boolean } {
  const [failure] = fieldFailures(Object.assign(new SyncQuery(), { mode: query.mode, dryRun: query.dryRun }));
  if (failure) throw problem(400, "invalid-query", "Bad Request", failure.message);
  const mode = (query.mode ?? "all") as keyof typeof SYNC_MODE_PARAMETERS;
  return { mode: SYNC_MODE_PARAMETERS[mode], dryRun: query.dryRun === "true" };
}
