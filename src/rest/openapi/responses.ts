// Answers shared by several operations.
import { REQUEST_ID, example, header, problemAnswer, problemExample } from "./builders";
import type { Response } from "./document-types";
import { QUOTA } from "./parameters";

export const RESPONSES: Record<string, Response> = {
  Unauthorized: problemAnswer(
    401,
    "No access key, or one that is unknown, wrong or revoked.",
    ["/problems/unauthorized"],
    {
      missing: example(
        "No Authorization header",
        problemExample(
          "/problems/unauthorized",
          "Unauthorized",
          401,
          "This API needs an access key: Authorization: Basic base64(keyName:keySecret)",
        ),
      ),
      wrong: example(
        "A wrong or revoked key",
        problemExample("/problems/unauthorized", "Unauthorized", 401, "The access key is unknown, wrong or revoked"),
      ),
    },
    { "WWW-Authenticate": header("WWW-Authenticate") },
  ),
  ReadOnlyKey: problemAnswer(
    403,
    "The access key is read-only: it may download, but not sync.",
    ["/problems/forbidden"],
    {
      readOnly: example(
        "A read-only key",
        problemExample("/problems/forbidden", "Forbidden", 403, "This access key is read-only"),
      ),
    },
    QUOTA,
  ),
  ActivityNotFound: problemAnswer(
    404,
    "No such activity, or one the key may not reach: the same answer for both.",
    ["/problems/not-found"],
    {
      notFound: example(
        "An unknown activity",
        problemExample("/problems/not-found", "Not Found", 404, "Activity 000000000000000000000000 was not found"),
      ),
    },
    QUOTA,
  ),
  TooManyRequests: problemAnswer(
    429,
    `Over a rate limit: too many failed authentications for this key name from this address, or
from this address whatever the key name (counted before the secret is checked, given back when it is right), or more
requests with this key in a minute than the server allows.`,
    ["/problems/too-many-requests"],
    {
      throttled: example(
        "Too many requests with one key",
        problemExample(
          "/problems/too-many-requests",
          "Too Many Requests",
          429,
          "Too many requests with this access key; retry after 42 seconds",
        ),
      ),
    },
    { "Retry-After": header("Retry-After"), ...QUOTA },
  ),
  ServerError: problemAnswer(
    500,
    "An unexpected failure. The answer carries no detail; the server logs it with the request id.",
    ["about:blank"],
    {
      unexpected: example("An unexpected failure", {
        type: "about:blank",
        title: "Internal Server Error",
        status: 500,
        requestId: REQUEST_ID,
      }),
    },
  ),
  ServiceUnavailable: problemAnswer(
    503,
    `The database cannot serve the request now: it is unreachable, a statement ran longer than the server
allows (STATEMENT_TIMEOUT_MS, 30 s by default), or a batch still deadlocked with concurrent transactions after 3 tries.
Nothing was changed; try again after Retry-After seconds. The detail names no host, port or statement.`,
    ["/problems/service-unavailable"],
    {
      outage: example(
        "The database is down",
        problemExample(
          "/problems/service-unavailable",
          "Service Unavailable",
          503,
          "The database is unavailable right now; nothing was changed. Try again shortly.",
        ),
      ),
    },
    { "Retry-After": header("Retry-After") },
  ),
};
