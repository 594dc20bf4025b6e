// Small fetch wrappers for the REST API.
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(url, init);
  // Keep a byte order mark: the CSV dialects are part of what is tested.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function registrationsUrl(
  base: string,
  activityId: string,
  format: "json" | "csv" | "xlsx",
  query = "",
): string {
  return `${base}/api/events/activities/${activityId}/registrations.${format}${query ? `?${query}` : ""}`;
}

export function putJson(base: string, activityId: string, auth: string, items: unknown, query = ""): Promise<Reply> {
  return call(registrationsUrl(base, activityId, "json", query), {
    method: "PUT",
    headers: { Authorization: auth, "Content-Type": "application/json" },
    body: JSON.stringify(items),
  });
}

export function putCsv(base: string, activityId: string, auth: string, csv: string, query = ""): Promise<Reply> {
  return call(registrationsUrl(base, activityId, "csv", query), {
    method: "PUT",
    headers: { Authorization: auth, "Content-Type": "text/csv" },
    body: csv,
  });
}

export function getRegistrations(
  base: string,
  activityId: string,
  auth: string,
  format: "json" | "csv" = "json",
  query = "",
): Promise<Reply> {
  return call(registrationsUrl(base, activityId, format, query), { headers: { Authorization: auth } });
}

export async function graphql(
  base: string,
  auth: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Reply> {
  return call(`${base}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(auth ? { Authorization: auth } : {}) },
    body: JSON.stringify({ query, variables }),
  });
}
