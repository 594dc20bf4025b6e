// The GraphQL-over-HTTP conformance audit (graphql-http) against our /graphql: every MUST passes.
import { auditServer, type AuditFail, type AuditResult } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../support/test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

async function describeFailure(result: AuditFail): Promise<string> {
  let body = "";
  try {
    body = (await result.response.clone().text()).slice(0, 300);
  } catch {
    // The body was already read by the audit.
  }
  return `${result.id} ${result.name}: ${result.reason}${body ? ` (status ${result.response.status}, body ${body})` : ""}`;
}

describe("GraphQL over HTTP", () => {
  it("passes every MUST audit of graphql-http", async () => {
    const results: AuditResult[] = await auditServer({ url: `${server.url}/graphql` });
    const count = (status: AuditResult["status"]) => results.filter((r) => r.status === status).length;
    const warnings = results.filter((r): r is AuditFail => r.status === "warn" || r.status === "notice");
    console.log(
      `graphql-http audit: ${results.length} audits, ${count("ok")} ok, ${count("warn")} warn, ${count("notice")} notice, ${count("error")} error` +
        (warnings.length
          ? `\n  SHOULD/MAY not met:\n  ${(await Promise.all(warnings.map(describeFailure))).join("\n  ")}`
          : ""),
    );
    const errors = await Promise.all(results.filter((r): r is AuditFail => r.status === "error").map(describeFailure));
    expect(errors, `MUST audits failing:\n${errors.join("\n")}`).toEqual([]);
    expect(count("ok")).toBeGreaterThan(0);
  });
});
