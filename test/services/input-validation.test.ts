import "reflect-metadata";
import { IsDefined, IsString, MaxLength, ValidateNested } from "class-validator";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/services/domain-errors";
import { checkedInput, fieldFailures } from "../../src/services/input-validation";

class Inner {
  @IsDefined({ message: "inner.name is required" })
  @IsString()
  name?: unknown;
}

class Outer {
  @MaxLength(3, { message: "title must have at most 3 characters" })
  title = "";

  @ValidateNested()
  inner?: Inner;
}

const outer = (title: string, name?: unknown): Outer =>
  Object.assign(new Outer(), { title, inner: Object.assign(new Inner(), { name }) });

describe("input validation through class-validator decorators", () => {
  it("names each failing field by its dotted path, a missing one as MissingField", () => {
    expect(fieldFailures(outer("long title"))).toEqual([
      { field: "title", code: "InvalidValue", message: "title must have at most 3 characters" },
      { field: "inner.name", code: "MissingField", message: "inner.name is required" },
    ]);
  });

  it("passes a valid input through and refuses an invalid one with the first failing field", () => {
    const valid = outer("abc", "Jan");
    expect(checkedInput(valid)).toBe(valid);
    expect(() => checkedInput(outer("abcd", "Jan"))).toThrow(InvalidInputError);
    try {
      checkedInput(outer("abcd", "Jan"));
    } catch (error) {
      expect((error as InvalidInputError).field).toBe("title");
    }
  });
});
