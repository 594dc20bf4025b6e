// `Authorization: Basic base64(keyName:keySecret)`, as the platform documents it.

export interface KeyCredentials {
  name: string;
  secret: string;
}

/**
 * The key name and secret of a Basic header; null when there is none, it is not Basic, or the name holds
 * a control character, which no key name has (a NUL made PostgreSQL refuse the lookup: a 500, uncounted).
 */
export function parseBasicCredentials(header: string | undefined): KeyCredentials | null {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return null;
  const name = decoded.slice(0, colon);
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return null;
  return { name, secret: decoded.slice(colon + 1) };
}

export const WWW_AUTHENTICATE = 'Basic realm="regsync", charset="UTF-8"';
