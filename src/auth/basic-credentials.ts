// `Authorization: Basic base64(keyName:keySecret)`, as the platform documents it.
import { CONTROL_CHARACTER } from "../services/text-arguments";

export interface KeyCredentials {
  name: string;
  secret: string;
}

/**
 * The key name and secret of a Basic header; null when there is none, it is not Basic, or the name holds a control
 * character: no key is named so, and a NUL would fail the lookup in PostgreSQL instead of counting as a wrong key.
 */
export function parseBasicCredentials(header: string | undefined): KeyCredentials | null {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0 || CONTROL_CHARACTER.test(decoded.slice(0, colon))) return null;
  return { name: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export const WWW_AUTHENTICATE = 'Basic realm="regsync", charset="UTF-8"';
