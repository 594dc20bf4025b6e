// The start list page's tests (test/rest/startlist-page.test.ts): reading the page's table, and making races and
// runners with the values the tests need.
import type { DataSource } from "typeorm";
import { createActivity } from "../../src/services/activities";
import { OPERATOR } from "../../src/services/caller";
import { createEvent } from "../../src/services/events";
import { nativeRegistration, organizationWithMember } from "./fixtures";

/** The table's rows as cell contents (still escaped), in page order. */
export function rows(html: string): string[][] {
  const body = html.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1] ?? "";
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) =>
    [...tr[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((td) => td[1]),
  );
}
export const names = (html: string) => rows(html).map((cells) => cells[1]);
export const numbers = (html: string) => rows(html).map((cells) => cells[0]);

/** The race and runner makers of a test file, on the database `db()` gives when called. */
export function startListRunners(db: () => DataSource) {
  /** An event and activity with names and a start time of our choosing. */
  async function race(eventName: string, activityName: string, startsAt: Date | null = null): Promise<string> {
    const organizer = await organizationWithMember(db());
    const event = await createEvent(OPERATOR, db(), { organizerId: organizer.organizationId, name: eventName });
    return (await createActivity(OPERATOR, db(), { eventId: event.id, name: activityName, startsAt })).id;
  }

  async function runner(
    activityId: string,
    startNumber: string | null,
    givenName: string,
    surname: string,
    more: { birthDate?: string; country?: string; isProfilePublic?: boolean; state?: string } = {},
  ) {
    const created = await nativeRegistration(db(), activityId, { startNumber, givenName, surname, ...more });
    if (more.country)
      await db().query(`UPDATE person SET country = $2 WHERE id = $1`, [created.personId, more.country]);
    return created;
  }

  /** Runners whose surnames sort differently in Czech (ch after h, č after c) than by code points. */
  async function czechField(activityId: string): Promise<void> {
    await runner(activityId, "10", "Petr", "Chalupa", { birthDate: "1980-03-01", country: "SK" });
    await runner(activityId, "2", "Eva", "Čermáková", { birthDate: "1995-07-12", country: "CZ" });
    await runner(activityId, "7", "Jan", "Hora", { birthDate: "1971-01-20", country: "AT" });
    await runner(activityId, "1", "Marie", "Nováková", { birthDate: "1988-09-30", country: "CZ" });
    await runner(activityId, "33", "Tomáš", "Novák", {
      isProfilePublic: false,
      birthDate: "1999-12-31",
      country: "DE",
    });
    await runner(activityId, "5", "Adam", "Cibulka", { birthDate: "2001-05-05", country: "PL" });
    await runner(activityId, null, "Zuzana", "Žáková", { birthDate: "1990-02-02", country: "CZ" });
  }

  return { race, runner, czechField };
}
