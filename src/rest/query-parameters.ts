// Every REST query parameter checked before a route reads it, as GraphQL's text arguments are (text-arguments.ts),
// and each route's parameters as a class-validator class: a download's, a sync's.
import { IsIn, IsOptional, ValidateBy, getMetadataStorage, type ValidationArguments } from "class-validator";
import { REGISTRATION_STATES, type RegistrationState } from "../entities/registration";
import type { RegistrationFilter } from "../services/registrations";
import type { RequestHandler } from "express";
import { fieldFailures } from "../services/input-validation";
import type { SyncMode } from "../services/registration-sync";
import { SYNC_MODE_PARAMETERS } from "../services/sync-modes";
import { MAX_ARGUMENT_LENGTH, controlCharacterIn } from "../services/text-arguments";
import { parseInstant } from "../services/iso-instant";
import { problem } from "./problem";
import { COLUMNS, DEFAULT_COLUMNS } from "./registration-table";

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

/** The query parameters of a results sync: a sync's, and `prune`. */
export class ResultSyncQuery extends SyncQuery {
  @IsOptional()
  @IsIn(FLAGS, { message: `prune must be ${FLAGS.join(" or ")}` })
  prune?: unknown;
}

/** The values a parameter may take, read from its `@IsIn` decorator (for /openapi.json). */
export function queryValues<T extends object>(query: new () => T, name: keyof T & string): string[] {
  const isIn = getMetadataStorage()
    .getTargetValidationMetadatas(query, "", true, false)
    .find((meta) => meta.propertyName === name && meta.name === "isIn");
  return [...((isIn?.constraints?.[0] as string[] | undefined) ?? [])];
}

/** The values a SyncQuery parameter may take. */
export const syncQueryValues = (name: keyof SyncQuery): string[] => queryValues(SyncQuery, name);

/** A comma-separated list parameter's items (`state=New,Confirmed`). */
export function queryList(value: unknown): string[] {
  return String(value)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A rule of a parameter that is absent or holds: `message` says why not. */
export function QueryRule(name: string, holds: (value: unknown) => boolean, message: (value: unknown) => string) {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => value === undefined || holds(value),
      defaultMessage: (args?: ValidationArguments) => message(args?.value),
    },
  });
}

const wrongStates = (value: unknown) =>
  queryList(value).filter((s) => !REGISTRATION_STATES.includes(s as RegistrationState));
const unknownColumns = (value: unknown) => queryList(value).filter((c) => !COLUMNS[c]);
const MODIFIED_SINCE =
  "modifiedSince must be a date-time with its offset, like 2022-12-06T09:12:03.701Z or 2022-12-06T10:12:03+01:00, or a date like 2022-12-06 (midnight UTC)";

export function modifiedSinceProblem(value: unknown): string {
  if (typeof value !== "string") return `${MODIFIED_SINCE}; give it once`;
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  // An unencoded + in a query string arrives as a space.
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+ \d{2}:\d{2}$/.test(value))
    return `${MODIFIED_SINCE}; got ${shown}: write the offset's + as %2B in a URL`;
  return `${MODIFIED_SINCE}; got ${shown}`;
}

/** The query parameters of a download (GET) in any format. */
export class DownloadQuery {
  @QueryRule(
    "stateList",
    (value) => wrongStates(value).length === 0,
    (value) => `state must be among ${REGISTRATION_STATES.join(", ")}; got ${wrongStates(value).join(", ")}`,
  )
  state?: unknown;

  @QueryRule("instant", (value) => typeof value === "string" && parseInstant(value) !== null, modifiedSinceProblem)
  modifiedSince?: unknown;
}

/** A table's (CSV, workbook): also which columns. */
export class TableDownloadQuery extends DownloadQuery {
  @QueryRule(
    "columnList",
    (value) => queryList(value).length > 0 && unknownColumns(value).length === 0,
    (value) =>
      `columns must be among ${Object.keys(COLUMNS).join(", ")}; got ${unknownColumns(value).join(", ") || "none"}`,
  )
  columns?: unknown;
}

/** A CSV file's: also its dialect. */
export class CsvDownloadQuery extends TableDownloadQuery {
  @IsOptional()
  @IsIn(["plain", "excel"], { message: "dialect must be excel (; separated, BOM, CRLF) or plain (the default)" })
  dialect?: unknown;
}

/** A workbook's: a workbook has no dialect. */
export class WorkbookDownloadQuery extends TableDownloadQuery {
  @QueryRule("noDialect", () => false, () => "dialect is for registrations.csv; a workbook has none")
  dialect?: unknown;
}

const DOWNLOAD_QUERIES = { json: DownloadQuery, csv: CsvDownloadQuery, xlsx: WorkbookDownloadQuery };

/**
 * A download's parameters, checked by its format's class: which registrations, which columns, which dialect.
 * @throws HttpProblem 400 naming the first parameter that is wrong.
 */
export function readDownloadQuery(
  query: Record<string, unknown>,
  format: keyof typeof DOWNLOAD_QUERIES,
): { filter: RegistrationFilter; columns: string[]; excelDialect: boolean } {
  const input = Object.assign(new DOWNLOAD_QUERIES[format](), {
    state: query.state,
    modifiedSince: query.modifiedSince,
    ...(format === "json" ? {} : { columns: query.columns, dialect: query.dialect }),
  });
  const [failure] = fieldFailures(input);
  if (failure) throw problem(400, "invalid-query", "Bad Request", failure.message);
  const filter: RegistrationFilter = {};
  if (query.state !== undefined) filter.states = queryList(query.state) as RegistrationState[];
  if (typeof query.modifiedSince === "string") filter.modifiedSince = parseInstant(query.modifiedSince) ?? undefined;
  const columns = format !== "json" && query.columns !== undefined ? queryList(query.columns) : DEFAULT_COLUMNS;
  return { filter, columns, excelDialect: query.dialect === "excel" };
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

/**
 * A results sync's query: a sync's (readSyncQuery), and `prune=true`.
 * @throws HttpProblem 400 naming the parameter that is wrong.
 */
export function readResultSyncQuery(query: Record<string, unknown>): {
  mode: SyncMode;
  dryRun: boolean;
  prune: boolean;
} {
  const [failure] = fieldFailures(Object.assign(new ResultSyncQuery(), { prune: query.prune }));
  if (failure) throw problem(400, "invalid-query", "Bad Request", failure.message);
  return { ...readSyncQuery(query), prune: query.prune === "true" };
}
