// Small builders, so that each operation reads as a list of what it takes and answers.
import type { Example, Header, JsonSchema, MediaType, Reference, Response } from "./document-types";

export const schema = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
export const parameter = (name: string): Reference => ({ $ref: `#/components/parameters/${name}` });
export const header = (name: string): Reference => ({ $ref: `#/components/headers/${name}` });
export const response = (name: string): Reference => ({ $ref: `#/components/responses/${name}` });

/** Every answer, whatever its status, names its request. */
export function answer(
  description: string,
  content?: Record<string, MediaType>,
  headers: Record<string, Header | Reference> = {},
): Response {
  return {
    description,
    headers: { ...headers, "X-Request-Id": header("X-Request-Id") },
    ...(content ? { content } : {}),
  };
}

export const PROBLEM_TYPE = "application/problem+json";

/** A problem document of one status whose `type` is one of `types`. */
export function problemAnswer(
  status: number,
  description: string,
  types: string[],
  examples: Record<string, Example>,
  headers: Record<string, Header | Reference> = {},
): Response {
  const schemaOfStatus: JsonSchema = {
    allOf: [schema("Problem")],
    properties: { type: { enum: types }, status: { const: status } },
  };
  return answer(description, { [PROBLEM_TYPE]: { schema: schemaOfStatus, examples } }, headers);
}

export const example = (summary: string, value: unknown): Example => ({ summary, value });

export const REQUEST_ID = "0f5e3a5c-2a4e-4a53-9b0c-5d1c7a3f8e21";

/** A problem document as the server writes it (the request id is the answer's X-Request-Id). */
export const problemExample = (
  type: string,
  title: string,
  status: number,
  detail: string,
  extra: Record<string, unknown> = {},
) => ({
  type,
  title,
  status,
  detail,
  ...extra,
  requestId: REQUEST_ID,
});

/** A batch rejected for its rows: kept byte for byte for Idempotency-Key replays, so it has no request id. */
export const rejectedRows = (errors: Record<string, unknown>[]) => ({
  type: "/problems/invalid-rows",
  title: "Unprocessable Content",
  status: 422,
  detail: `${errors.length} ${errors.length === 1 ? "row" : "rows"} failed; nothing was written`,
  errorCount: errors.length,
  errorsOmitted: 0,
  errors,
});

/** A Markdown table. */
export function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

export const code = (text: string) => `\`${text}\``;

export const OBJECT_ID: JsonSchema = {
  type: "string",
  pattern: "^[0-9a-f]{24}$",
  description: "An id of 24 lowercase hex digits.",
};
