// `Authorization: Basic base64(keyName:keySecret)`, as the platform documents it.

export interface KeyCredentials {
  name: string;
  secret: string;
}

/** The key name and secret of a Basic header; null when there is none or it is not Basic. */
export function parseBasicCredentials(header: string | undefined): KeyCredentials | null {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return null;
  return { name: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export const WWW_AUTHENTICATE = 'Basic realm="regsync", charset="UTF-8"';
