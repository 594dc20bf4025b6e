// Parameters and headers, referred to by name from the operations.
import { WWW_AUTHENTICATE } from "../../auth/basic-credentials";
import { REGISTRATION_STATES } from "../../entities/registration";
import { CsvDownloadQuery, queryValues, syncQueryValues } from "../query-parameters";
import { COLUMNS, DEFAULT_COLUMNS } from "../registration-table";
import { OBJECT_ID, example, header } from "./builders";
import type { Header, Parameter, Reference, Response } from "./document-types";

export const PARAMETERS: Record<string, Parameter> = {
  activityId: {
    name: "activityId",
    in: "path",
    required: true,
    description: "The activity (race). One the key may not reach answers 404, the same as one that does not exist.",
    schema: OBJECT_ID,
    examples: { seed: example("The seed's activity", "638f01d0c5eaf533c891fac3") },
  },
  publicActivityId: {
    name: "activityId",
    in: "path",
    required: true,
    description: "The activity (race); anyone may read its start list.",
    schema: OBJECT_ID,
    examples: { seed: example("The seed's activity", "638f01d0c5eaf533c891fac3") },
  },
  state: {
    name: "state",
    in: "query",
    style: "form",
    explode: false,
    description: "Only registrations in these states, comma-separated: `state=New,Confirmed`. Absent: all states.",
    schema: { type: "array", items: { type: "string", enum: REGISTRATION_STATES }, uniqueItems: true },
  },
  modifiedSince: {
    name: "modifiedSince",
    in: "query",
    description:
      "Only registrations changed at or after this time, so a client can poll for changes: pass the time of its previous download. An RFC 3339 date-time with `Z` or an offset (write its `+` as `%2B`), or a date `2022-12-06` (midnight UTC); anything else, a time without an offset included, is a 400.",
    schema: {
      anyOf: [
        { type: "string", format: "date-time" },
        { type: "string", format: "date" },
      ],
      examples: ["2022-12-06T09:12:03.701Z", "2022-12-06T10:12:03+01:00", "2022-12-06"],
    },
  },
  columns: {
    name: "columns",
    in: "query",
    style: "form",
    explode: false,
    description: `The CSV columns, comma-separated, in this order. Absent: the seed's nine (${DEFAULT_COLUMNS.join(", ")}). See the columns table in the operation's description.`,
    schema: { type: "array", items: { type: "string", enum: Object.keys(COLUMNS) }, default: DEFAULT_COLUMNS },
  },
  dialect: {
    name: "dialect",
    in: "query",
    description:
      "`excel`: `;`-separated, CRLF, UTF-8 byte order mark (Czech Excel). `plain` or none: `,`, LF, no BOM. Anything else: 400.",
    schema: { type: "string", enum: queryValues(CsvDownloadQuery, "dialect"), default: "plain" },
  },
  mode: {
    name: "mode",
    in: "query",
    description:
      "`all` (default): if any row fails, nothing is written and the answer is 422 listing every failing row. `partial`: the valid rows are applied and the failed ones come back as Skipped with their errors.",
    schema: { type: "string", enum: syncQueryValues("mode"), default: "all" },
  },
  dryRun: {
    name: "dryRun",
    in: "query",
    description:
      "`true`: answer what the sync would do (the same status and body) and write nothing. Exactly `true` or `false`.",
    schema: { type: "boolean", default: false },
  },
  IdempotencyKey: {
    name: "Idempotency-Key",
    in: "header",
    description: `Makes a retry safe. The first request with a key is applied once; a repeat with the same key, route, query,
body and CSV charset gets the first answer again, byte for byte, with \`Idempotent-Replayed: true\` (its 200 or its 422; nothing is
applied twice). The same key with another request answers 422 idempotency-key-reused; a repeat while the first is still
running answers 409 with \`Retry-After\`: as many seconds as the first has run so far (at least 1), and never more than the
seconds until a reservation whose server died is taken over (10 minutes after it was made). Keys belong to the access key that used them and are kept for 24 hours; a key
whose request failed otherwise (403, 404, 409 conflict, 5xx) is freed for a retry. A value outside 1–255 characters answers 400.`,
    schema: { type: "string", minLength: 1, maxLength: 255 },
    examples: { uuid: example("A fresh UUID per logical request", "5b0d2a8e-7f1c-4d8e-9a57-0c3e1b6f4a92") },
  },
  ContentEncoding: {
    name: "Content-Encoding",
    in: "header",
    description:
      "A compressed body: gzip (or x-gzip) and deflate are decoded as they arrive. The size limit counts the decoded bytes. Anything else answers 415.",
    schema: { type: "string", enum: ["gzip", "x-gzip", "deflate", "identity"], default: "identity" },
  },
  RequestId: {
    name: "X-Request-Id",
    in: "header",
    description:
      "The client's own id for this request, kept when it has 1–128 letters, digits or `_ . : -`; anything else is replaced by a new UUID. Either way it comes back in X-Request-Id.",
    schema: { type: "string", pattern: "^[\\w.:-]{1,128}$" },
  },
};

export const HEADERS: Record<string, Header> = {
  "X-Request-Id": {
    description:
      "The request's id (the client's own, or a new UUID): it is on the server's log line for the request and in the requestId of problem documents.",
    required: true,
    schema: { type: "string", minLength: 1 },
  },
  "WWW-Authenticate": {
    description: "How to authenticate: HTTP Basic with an access key.",
    required: true,
    schema: { type: "string", const: WWW_AUTHENTICATE },
  },
  "Retry-After": {
    description: "Seconds to wait before trying again.",
    required: true,
    schema: { type: "integer", minimum: 1 },
  },
  "Sync-Summary": {
    description:
      "Counts of the batch's result types, like `Created=3, Updated=1, Unchanged=10, Skipped=0` (a dry run: what would happen); `Deleted=2` before Skipped when a results sync with prune deleted some. Sent with the first answer only, not with a replay.",
    schema: {
      type: "string",
      pattern: "^Created=\\d+, Updated=\\d+, Unchanged=\\d+(, Deleted=\\d+)?, Skipped=\\d+$",
    },
  },
  "Idempotent-Replayed": {
    description:
      "`true` when this is the stored answer of an earlier request with the same Idempotency-Key, sent again; absent otherwise.",
    schema: { type: "string", const: "true" },
  },
  "RateLimit-Policy": {
    description:
      "The per-key quota (IETF httpapi RateLimit headers draft): `q` requests in `w` seconds. On every answer to a request whose key was accepted, 429 included; absent without a key and when the server sets no per-key limit.",
    schema: { type: "string", pattern: '^"per-key";q=\\d+;w=60$', examples: ['"per-key";q=1200;w=60'] },
  },
  RateLimit: {
    description:
      "What is left of the per-key quota after this request: `r` requests, until the window resets in `t` seconds (`r=0` on a 429, whose Retry-After equals `t`). Sent with RateLimit-Policy.",
    schema: { type: "string", pattern: '^"per-key";r=\\d+;t=\\d+$', examples: ['"per-key";r=1187;t=42'] },
  },
};

/** The quota headers, on every answer of an operation that takes a key but the 401 (no key was accepted). */
export const QUOTA = { "RateLimit-Policy": header("RateLimit-Policy"), RateLimit: header("RateLimit") };

export function keyed(responses: Record<string, Response | Reference>): Record<string, Response | Reference> {
  return Object.fromEntries(
    Object.entries(responses).map(([status, answer]) => [
      status,
      "$ref" in answer ? answer : { ...answer, headers: { ...QUOTA, ...answer.headers } },
    ]),
  );
}
