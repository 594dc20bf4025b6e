// Text arguments checked at the edge, before any resolver runs: a length cap on each text argument, and no control
// characters anywhere in an argument (PostgreSQL cannot store NUL, and no name or code holds the others).
import { setImmediate } from "node:timers/promises";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import {
  GraphQLError,
  TypeInfo,
  getArgumentValues,
  getVariableValues,
  isInputObjectType,
  isListType,
  isNonNullType,
  visit,
  visitWithTypeInfo,
  type FieldNode,
  type GraphQLInputType,
} from "graphql";
import { MAX_SEARCH_LENGTH } from "../services/registrations";
import { MAX_ARGUMENT_LENGTH, controlCharacterIn } from "../services/text-arguments";
import { SYNC_MUTATIONS } from "./sync-item-cap";

// Arguments capped shorter than MAX_ARGUMENT_LENGTH, by name.
const ARGUMENT_LENGTHS: Record<string, number> = { search: MAX_SEARCH_LENGTH };
// Arguments whose values a service reads by rules of its own: a sync's items, whose control characters and lengths
// are row errors naming the item and field (services/sync-input.ts), as in a REST upload, not a refused operation.
const OWN_RULES: Record<string, string[]> = Object.fromEntries(SYNC_MUTATIONS.map((name) => [name, ["items"]]));

function refused(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", argument, http: { status: 400 } } });
}

/** The first control character in a value (as U+0000), with where it is (`items[2].givenName`), or undefined. */
function controlCharacter(
  value: unknown,
  type: GraphQLInputType,
  path: string,
): { path: string; char: string } | undefined {
  if (typeof value === "string") {
    const char = controlCharacterIn(value);
    return char === undefined ? undefined : { path, char };
  }
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner) && Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = controlCharacter(item, inner.ofType, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (isInputObjectType(inner) && value !== null && typeof value === "object") {
    const fields = inner.getFields();
    for (const [name, item] of Object.entries(value)) {
      const found = fields[name] && controlCharacter(item, fields[name].type, `${path}.${name}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** The refusal of one argument's value, or undefined when it is fine. */
function checkArgument(field: string, name: string, type: GraphQLInputType, value: unknown): GraphQLError | undefined {
  const found = controlCharacter(value, type, name);
  if (found) {
    return refused(
      `Argument ${found.path} of ${field} contains the control character ${found.char}; text must not contain control characters.`,
      found.path,
    );
  }
  const limit = ARGUMENT_LENGTHS[name] ?? MAX_ARGUMENT_LENGTH;
  const texts = Array.isArray(value) ? value : [value];
  const long = texts.find((text) => typeof text === "string" && text.length > limit) as string | undefined;
  if (long !== undefined)
    return refused(`Argument ${name} of ${field} has ${long.length} characters; the limit is ${limit}.`, name);
  return undefined;
}

/**
 * An Apollo plugin refusing, with BAD_USER_INPUT naming the argument, any field argument of the operation that holds
 * a control character or is text over its length cap, whether written in the query or passed as a variable.
 */
export function argumentChecksPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          // After validation, which may have held the event loop for a while on a large document: let others in.
          await setImmediate();
          const { coerced } = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          // Variables that do not fit their types are execution's BAD_USER_INPUT, reported without running a resolver.
          if (!coerced) return;
          const typeInfo = new TypeInfo(schema);
          let error: GraphQLError | undefined;
          const check = (node: FieldNode) => {
            const field = typeInfo.getFieldDef();
            if (error || !field || !node.arguments?.length) return;
            let values: Record<string, unknown>;
            try {
              values = getArgumentValues(field, node, coerced);
            } catch {
              return; // a fragment of another operation in the document, without this one's variables
            }
            for (const arg of field.args) {
              if (values[arg.name] === undefined || OWN_RULES[field.name]?.includes(arg.name)) continue;
              error ??= checkArgument(field.name, arg.name, arg.type, values[arg.name]);
            }
          };
          visit(
            document,
            visitWithTypeInfo(typeInfo, {
              OperationDefinition: (node) => (node === operation ? undefined : false),
              Field: check,
            }),
          );
          if (error) throw error;
        },
      };
    },
  };
}
