// What operators read (SPEC §8, issue 6): JSON logs with a request id on every line, the id echoed in `X-Request-Id`.
// Outside rest/: the whole app logs through it (the HTTP app, its error answers, start-up), not only the REST routes.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import pino, { type DestinationStream, type Logger } from "pino";
import { pinoHttp } from "pino-http";
import type { Config } from "../config";
import { loggableError } from "../db/database-errors";

/** An error as logged: never a failed statement's SQL, parameters or message, which quote personal data and hashes (issue 12). */
export const loggedError = (error: unknown) => loggableError(error, pino.stdSerializers.err);

export function createLogger(config: Pick<Config, "logLevel">, destination?: DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      // Credentials never reach a log line (issue 5).
      redact: {
        paths: ["req.headers.authorization", "req.headers.cookie", 'req.headers["proxy-authorization"]'],
        censor: "[redacted]",
      },
      serializers: { err: loggedError },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

// A client's own id is kept when it looks like one; anything else is replaced, so logs stay clean.
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Logs each request once it is answered, as JSON with its request id, and echoes the id in `X-Request-Id`. */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers["x-request-id"];
      const id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info",
    // Every line this request logs carries its id at the top level.
    customProps: (req) => ({ requestId: req.id }),
    serializers: {
      req: (req) => ({ method: req.method, url: req.url, remoteAddress: req.remoteAddress }),
      res: (res) => ({ statusCode: res.statusCode }),
      err: loggedError,
    },
  });
}
