// Every REST query parameter checked before a route reads it, as GraphQL's text arguments are (text-arguments.ts).
import type { RequestHandler } from "express";
import { MAX_ARGUMENT_LENGTH, controlCharacterIn } from "../services/text-arguments";
import { problem } from "./problem";

const shown = (name: string) => (name.length > 40 ? `${name.slice(0, 40)}…` : name);

/** Refuses, with a 400 problem naming the parameter, a value over MAX_ARGUMENT_LENGTH or holding a control character. */
export function queryParameterChecks(): RequestHandler {
  return (req, _res, next) => {
    for (const [name, value] of Object.entries(req.query)) {
      for (const text of [value].flat()) {
        if (typeof text !== "string") continue;
        const control = controlCharacterIn(text) ?? controlCharacterIn(name);
        if (control) {
          throw problem(400, "invalid-query", "Bad Request", `Query parameter ${JSON.stringify(shown(name))} contains the control character ${control}; text must not contain control characters.`);
        }
        if (text.length > MAX_ARGUMENT_LENGTH) {
          throw problem(400, "invalid-query", "Bad Request", `Query parameter ${JSON.stringify(shown(name))} has ${text.length} characters; the limit is ${MAX_ARGUMENT_LENGTH}.`);
        }
      }
    }
    next();
  };
}
