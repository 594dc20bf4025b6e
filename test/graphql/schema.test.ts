// The committed schema.graphql is what the server builds, and everything in it is described.
import fs from "node:fs";
import path from "node:path";
import { isEnumType, isInputObjectType, isObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { buildRegsyncSchema, printRegsyncSchema } from "../../src/schema/build-schema";

describe("schema", () => {
  it("matches the committed schema.graphql (run `npm run schema` after changing it)", () => {
    const committed = fs.readFileSync(path.join(__dirname, "../../schema.graphql"), "utf8");
    expect(printRegsyncSchema()).toBe(committed);
  });

  it("describes every type, field, argument and enum value", () => {
    const missing: string[] = [];
    for (const type of Object.values(buildRegsyncSchema().getTypeMap())) {
      if (type.name.startsWith("__") || ["String", "Boolean", "Int", "Float", "ID"].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of "args" in field ? field.args : [])
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type))
        for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });
});
