// Query limits: depth (our validation rule), complexity (graphql-query-complexity) and the introspection switch.
import { ApolloServer } from "@apollo/server";
import {
  buildSchema,
  getIntrospectionQuery,
  getNamedType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  parse,
  validate,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { buildRegsyncSchema } from "../../src/schema/build-schema";
import { complexityLimitPlugin, depthLimitRule } from "../../src/schema/limits";
import { graphql } from "../support/http";
import { startServer, type TestServer } from "../support/test-server";

const TINY = buildSchema(`
  type Query { node: Node, version: String }
  type Node { name: String, parent: Node, children: [Node!]! }
`);

function depthErrors(query: string, maxDepth: number): string[] {
  return validate(TINY, parse(query), [depthLimitRule(maxDepth)]).map((error) => error.message);
}

/**
 * A query down the longest chain of object fields from Query (no type twice, at most `levels` fields),
 * ending in __typename, with a variable for every required argument; and the same query one level shorter.
 * Built from the schema, so it follows the schema as it changes.
 */
function deepestQuery(schema: GraphQLSchema, levels = 4): { deep: string; shallower: string; depth: number } {
  type Step = { field: string; args: { name: string; type: string }[] };
  const longest = (type: GraphQLObjectType, seen: Set<string>): Step[] => {
    let best: Step[] = [];
    if (seen.size >= levels) return best;
    for (const field of Object.values(type.getFields())) {
      const target = getNamedType(field.type);
      if (!(isObjectType(target) || isInterfaceType(target)) || seen.has(target.name)) continue;
      const required = field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
      const step = { field: field.name, args: required.map((arg) => ({ name: arg.name, type: String(arg.type) })) };
      const rest = isObjectType(target) ? longest(target, new Set(seen).add(target.name)) : [];
      if (rest.length + 1 > best.length) best = [step, ...rest];
    }
    return best;
  };
  const chain = longest(schema.getQueryType()!, new Set([schema.getQueryType()!.name]));
  const print = (steps: Step[]) => {
    const variables: string[] = [];
    const body = steps.reduceRight((inner, step) => {
      const args = step.args.map((arg) => {
        variables.push(`$v${variables.length}: ${arg.type}`);
        return `${arg.name}: $v${variables.length - 1}`;
      });
      return `${step.field}${args.length ? `(${args.join(", ")})` : ""} { ${inner} }`;
    }, "__typename");
    return `query${variables.length ? `(${variables.join(", ")})` : ""} { ${body} }`;
  };
  return { deep: print(chain), shallower: print(chain.slice(0, -1)), depth: chain.length + 1 };
}

describe("the depth rule", () => {
  it("counts nested fields and names the depth and the limit", () => {
    const query = "{ node { parent { parent { name } } } }";
    expect(depthErrors(query, 3)).toEqual(["Query is 4 levels deep; the limit is 3."]);
    expect(depthErrors(query, 4)).toEqual([]);
  });

  it("counts the fields inside fragments, but not the fragments themselves", () => {
    const named = "{ node { ...Up } } fragment Up on Node { parent { parent { name } } }";
    expect(depthErrors(named, 3)).toEqual(["Query is 4 levels deep; the limit is 3."]);
    expect(depthErrors("{ node { ... on Node { ... on Node { parent { name } } } } }", 3)).toEqual([]);
  });

  it("takes the deepest of several operations' branches, per operation", () => {
    const query = "query A { version node { name } } query B { node { children { parent { name } } } }";
    expect(depthErrors(query, 3)).toEqual(["Query is 4 levels deep; the limit is 3."]);
  });

  it("does not count introspection, so an IDE's schema query passes any limit", () => {
    expect(depthErrors(getIntrospectionQuery(), 1)).toEqual([]);
    expect(
      depthErrors('{ version __type(name: "Node") { fields { type { ofType { ofType { name } } } } } }', 1),
    ).toEqual([]);
  });

  it("stops on fragment cycles and on fragments spread exponentially often", () => {
    const cycle = validate(TINY, parse("{ node { ...A } } fragment A on Node { parent { ...A } }"), [
      depthLimitRule(10),
    ]);
    expect(cycle).toEqual([]);
    // F0 spreads F1 twice, F1 spreads F2 twice, …: 2^40 paths, 40 fragments.
    const fragments = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i} on Node { parent { ...F${i + 1} } children { ...F${i + 1} } }`,
    );
    fragments.push("fragment F40 on Node { name }");
    const started = Date.now();
    expect(depthErrors(`{ node { ...F0 } } ${fragments.join(" ")}`, 12)).toEqual([
      "Query is 42 levels deep; the limit is 12.",
    ]);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("the complexity plugin", () => {
  // A connection field declares its complexity as type-graphql's `complexity` option does (field extensions).
  const Item = new GraphQLObjectType({
    name: "Item",
    fields: { name: { type: GraphQLString }, code: { type: GraphQLString } },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: "Query",
      fields: {
        items: {
          type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(Item))),
          args: { first: { type: GraphQLInt } },
          extensions: {
            complexity: ({ childComplexity, args }: { childComplexity: number; args: { first?: number } }) =>
              (args.first ?? 50) * childComplexity,
          },
          resolve: () => [],
        },
      },
    }),
  });
  let apollo: ApolloServer;
  beforeAll(async () => {
    apollo = new ApolloServer({ schema, plugins: [complexityLimitPlugin(100)] });
    await apollo.start();
  });
  afterAll(() => apollo?.stop());
  const errorsOf = async (query: string, variables?: Record<string, unknown>) => {
    const { body } = await apollo.executeOperation({ query, variables });
    return body.kind === "single" ? (body.singleResult.errors ?? []) : [];
  };

  it("uses a field's own complexity before the default of 1 a field", async () => {
    expect(await errorsOf("{ items(first: 50) { name code } }")).toEqual([]); // 50 × 2
    expect(await errorsOf("query($n: Int) { items(first: $n) { name code } }", { n: 51 })).toEqual([
      expect.objectContaining({
        message: "Query complexity is 102; the limit is 100.",
        extensions: expect.objectContaining({ code: "QUERY_TOO_COMPLEX", complexity: 102, limit: 100 }),
      }),
    ]);
    expect(await errorsOf("{ items { name code code2: code } }")).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ complexity: 150 }) }),
    ]);
  });

  it("refuses a document too large to estimate (over 10,000 selections) without estimating it", async () => {
    const huge = `{ ${Array.from({ length: 10_001 }, (_, i) => `a${i}: __typename`).join(" ")} }`;
    expect(await errorsOf(huge)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/too many fields/),
        extensions: expect.objectContaining({ code: "QUERY_TOO_COMPLEX", limit: 100 }),
      }),
    ]);
  });

  it("leaves variables that do not fit their type to execution, which answers BAD_USER_INPUT", async () => {
    const errors = await errorsOf("query($n: Int!) { items(first: $n) { name } }", { n: "many" });
    expect(errors.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("configuration", () => {
  it("defaults to depth 12 and complexity 100000, and names wrong values", () => {
    expect(loadConfig({})).toMatchObject({ graphqlMaxDepth: 12, graphqlMaxComplexity: 100_000, introspection: true });
    expect(() => loadConfig({ GRAPHQL_MAX_DEPTH: "deep", GRAPHQL_MAX_COMPLEXITY: "0" })).toThrow(
      /GRAPHQL_MAX_DEPTH must be a whole number, got "deep"[\s\S]*GRAPHQL_MAX_COMPLEXITY must be at least 1/,
    );
  });
});

describe("a server with the default limits", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());

  it("allows introspection, including the full query a GraphQL IDE sends (deeper than the depth limit)", async () => {
    const small = await graphql(server.url, null, "{ __schema { types { name } } }");
    expect(small.json.errors).toBeUndefined();
    expect(small.json.data.__schema.types.map((t: any) => t.name)).toContain("Query");
    const full = await graphql(server.url, null, getIntrospectionQuery());
    expect(full.status).toBe(200);
    expect(full.json.errors).toBeUndefined();
    expect(full.json.data.__schema.queryType.name).toBe("Query");
  });
});

describe("a server with GRAPHQL_MAX_DEPTH below the schema's depth, GRAPHQL_MAX_COMPLEXITY=5 and GRAPHQL_INTROSPECTION=false", () => {
  const { deep, shallower, depth } = deepestQuery(buildRegsyncSchema());
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      GRAPHQL_MAX_DEPTH: String(depth - 1),
      GRAPHQL_MAX_COMPLEXITY: "5",
      GRAPHQL_INTROSPECTION: "false",
    });
  });
  afterAll(() => server?.close());

  it("refuses an operation nested deeper than the limit before running it, naming its depth", async () => {
    expect(depth).toBeGreaterThanOrEqual(3);
    const reply = await graphql(server.url, null, deep);
    expect(reply.status).toBe(400);
    expect(reply.json.data).toBeUndefined();
    expect(reply.json.errors).toContainEqual(
      expect.objectContaining({
        message: `Query is ${depth} levels deep; the limit is ${depth - 1}.`,
        extensions: expect.objectContaining({ code: "GRAPHQL_VALIDATION_FAILED" }),
      }),
    );
  });

  it("lets an operation at the depth limit through validation", async () => {
    const reply = await graphql(server.url, null, shallower);
    // Without a key or variables it fails later (BAD_USER_INPUT, UNAUTHENTICATED); what matters is that it got past validation.
    expect(reply.json.errors?.map((e: any) => e.extensions.code) ?? []).not.toContain("GRAPHQL_VALIDATION_FAILED");
  });

  it("refuses an operation over the complexity limit with QUERY_TOO_COMPLEX, its complexity and the limit", async () => {
    const fields = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i + 1}: __typename`).join(" ")} }`;
    const over = await graphql(server.url, null, fields(6));
    expect(over.status).toBe(400);
    expect(over.json.data).toBeUndefined();
    expect(over.json.errors).toEqual([
      expect.objectContaining({
        message: "Query complexity is 6; the limit is 5.",
        extensions: { code: "QUERY_TOO_COMPLEX", complexity: 6, limit: 5 },
      }),
    ]);
    const at = await graphql(server.url, null, fields(5));
    expect(at.json.errors).toBeUndefined();
    expect(at.json.data).toEqual({ a1: "Query", a2: "Query", a3: "Query", a4: "Query", a5: "Query" });
  });

  it("refuses introspection when GRAPHQL_INTROSPECTION=false", async () => {
    const reply = await graphql(server.url, null, "{ __schema { types { name } } }");
    expect(reply.json.data).toBeUndefined();
    expect(reply.json.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(reply.json.errors[0].message).toMatch(/introspection/i);
  });

  it("does not suggest field or argument names (Did you mean …?) when GRAPHQL_INTROSPECTION=false", async () => {
    const reply = await graphql(
      server.url,
      null,
      `
        {
          startLis(activityId: "x") {
            activityName
          }
        }
      `,
    );
    expect(reply.json.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(reply.json.errors[0].message).toBe(`Cannot query field "startLis" on type "Query".`);
    const argument = await graphql(
      server.url,
      null,
      `
        {
          startList(activityID: "x") {
            activityName
          }
        }
      `,
    );
    expect(JSON.stringify(argument.json.errors)).not.toMatch(/Did you mean/);
  });
});
