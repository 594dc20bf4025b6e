// The query parameters of a results download (GET …/results.json|.csv|.xlsx), one class per format as for the
// registrations (query-parameters.ts): the route checks their decorators, /openapi.json lists their values.
import { IsIn, IsOptional } from "class-validator";
import { RESULT_STATUSES, type ResultStatus } from "../entities/result";
import { fieldFailures } from "../services/input-validation";
import type { ResultFilter } from "../services/results";
import { parseInstant } from "../services/iso-instant";
import { problem } from "./problem";
import { QueryRule, modifiedSinceProblem, queryList } from "./query-parameters";

const wrongStatuses = (value: unknown) => queryList(value).filter((s) => !RESULT_STATUSES.includes(s as ResultStatus));

/** The longest category the table takes (its check constraint). */
const MAX_CATEGORY_LENGTH = 32;

/** Which results: a category, statuses (`status=Finished,DidNotFinish` or the parameter repeated), a time. */
export class ResultDownloadQuery {
  @QueryRule(
    "category",
    (value) => typeof value === "string" && value.length > 0 && value.length <= MAX_CATEGORY_LENGTH,
    (value) =>
      typeof value === "string"
        ? `category must be 1 to ${MAX_CATEGORY_LENGTH} characters, like M40`
        : "category must be given once",
  )
  category?: unknown;

  @QueryRule(
    "statusList",
    (value) => queryList(value).length > 0 && wrongStatuses(value).length === 0,
    (value) => `status must be among ${RESULT_STATUSES.join(", ")}; got ${wrongStatuses(value).join(", ") || "none"}`,
  )
  status?: unknown;

  @QueryRule("instant", (value) => typeof value === "string" && parseInstant(value) !== null, modifiedSinceProblem)
  modifiedSince?: unknown;
}

/** A CSV file's: also its dialect. */
export class CsvResultDownloadQuery extends ResultDownloadQuery {
  @IsOptional()
  @IsIn(["plain", "excel"], { message: "dialect must be excel (; separated, BOM, CRLF) or plain (the default)" })
  dialect?: unknown;
}

/** A workbook's: a workbook has no dialect. */
export class WorkbookResultDownloadQuery extends ResultDownloadQuery {
  @QueryRule("noDialect", () => false, () => "dialect is for results.csv; a workbook has none")
  dialect?: unknown;
}

const QUERIES = { json: ResultDownloadQuery, csv: CsvResultDownloadQuery, xlsx: WorkbookResultDownloadQuery };

/**
 * A results download's parameters, checked by its format's class.
 * @throws HttpProblem 400 naming the first parameter that is wrong.
 */
export function readResultDownloadQuery(
  query: Record<string, unknown>,
  format: keyof typeof QUERIES,
): { filter: ResultFilter; excelDialect: boolean } {
  const input = Object.assign(new QUERIES[format](), {
    category: query.category,
    // Repeated (`status=Finished&status=DidNotStart`) it arrives as a list: the same as the comma-separated form.
    status: Array.isArray(query.status) ? query.status.join(",") : query.status,
    modifiedSince: query.modifiedSince,
    ...(format === "json" ? {} : { dialect: query.dialect }),
  });
  const [failure] = fieldFailures(input);
  if (failure) throw problem(400, "invalid-query", "Bad Request", failure.message);
  const filter: ResultFilter = {};
  if (typeof query.category === "string") filter.category = query.category;
  if (input.status !== undefined) filter.statuses = queryList(input.status) as ResultStatus[];
  if (typeof query.modifiedSince === "string") filter.modifiedSince = parseInstant(query.modifiedSince);
  return { filter, excelDialect: query.dialect === "excel" };
}
