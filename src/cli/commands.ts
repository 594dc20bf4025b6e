// Operator commands: organizations, members, associations, events, activities, access keys, demo data; CSV import and export (transfer.ts).
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { DataSource } from "typeorm";
import { loadConfig, type Config } from "../config";
import { openDatabase } from "../db/data-source";
import { MEMBERSHIP_ROLES, type MembershipRole } from "../entities/membership";
import { ORGANIZATION_KINDS, type OrganizationKind } from "../entities/organization";
import { createKey, revokeKey } from "../services/access-keys";
import { createActivity } from "../services/activities";
import { createAssociation } from "../services/associations";
import { OPERATOR } from "../services/caller";
import { loadDemoData, resultsExampleCurl, seedJsonCurl } from "../services/demo-data";
import { createEvent } from "../services/events";
import { isDay } from "../services/management-field-rules";
import { addMember } from "../services/members";
import { createOrganization } from "../services/organizations";
import { registerTransferCommands } from "./transfer";

/** Where the commands write: results to `out` (one per line, for scripts), everything else to `err`. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Data that is not lines (an export to stdout), as it arrives; resolves when more may be written. Absent: `out`. */
  write?(chunk: Uint8Array): Promise<void>;
  /** Where progress bars draw (stderr), if it is a terminal; absent: only with --progress. */
  progress?: NodeJS.WritableStream & { isTTY?: boolean };
}

// Checked while parsing too, so that the message names the option (--starts-on) the operator typed.
function day(value: string): string {
  if (!isDay(value)) throw new InvalidArgumentError("Expected a date like 2025-06-14.");
  return value;
}

// An offset is required: a time without one would silently take the operator's local zone.
function instant(value: string): Date {
  const date = new Date(value);
  if (
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ||
    Number.isNaN(date.getTime())
  ) {
    throw new InvalidArgumentError(
      "Expected a date-time with an offset, like 2025-06-14T09:00:00Z or 2025-06-14T11:00:00+02:00.",
    );
  }
  return date;
}

function buildProgram(
  io: CliIo,
  config: () => Config,
  database: () => Promise<DataSource>,
  env: Record<string, string | undefined>,
): Command {
  const program = new Command("regsync")
    .description("Operator commands for regsync. Results go to stdout, one per line; messages go to stderr.")
    // Set before adding commands: subcommands copy these settings when they are created.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, "")),
      writeErr: (text) => io.err(text.replace(/\n$/, "")),
    });

  const org = program.command("org").description("organizations");
  org
    .command("create")
    .description("creates an organization; prints its id")
    .requiredOption("--name <name>", "its name")
    .addOption(new Option("--kind <kind>", "its kind").choices(ORGANIZATION_KINDS).default("Organizer"))
    .action(async (options: { name: string; kind: OrganizationKind }) => {
      io.out((await createOrganization(OPERATOR, await database(), options)).id);
    });

  const member = program.command("member").description("memberships");
  member
    .command("add")
    .description("makes an account (created if the login is new) a member of an organization; prints the account id")
    .requiredOption("--org <id>", "the organization's id")
    .requiredOption("--login <login>", "the account's login, like name@example.com")
    .addOption(new Option("--role <role>", "the member's role").choices(MEMBERSHIP_ROLES).default("Member"))
    .action(async (options: { org: string; login: string; role: MembershipRole }) => {
      const input = { organizationId: options.org, login: options.login, role: options.role };
      io.out((await addMember(OPERATOR, await database(), input)).accountId);
    });

  program
    .command("associate")
    .description(
      "lets the associate's members reach the organizer's activities (not the reverse); prints the association id",
    )
    .requiredOption("--organizer <id>", "the organizer whose activities are reached")
    .requiredOption("--associate <id>", "the organization (a timing company, say) whose members reach them")
    .action(async (options: { organizer: string; associate: string }) => {
      const input = { organizerId: options.organizer, associateId: options.associate };
      io.out((await createAssociation(OPERATOR, await database(), input)).id);
    });

  const event = program.command("event").description("events");
  event
    .command("create")
    .description("creates an organizer's event; prints its id")
    .requiredOption("--org <id>", "the organizer's id")
    .requiredOption("--name <name>", "its name")
    .option("--starts-on <date>", "first day, YYYY-MM-DD", day)
    .option("--ends-on <date>", "last day, YYYY-MM-DD", day)
    .action(async (options: { org: string; name: string; startsOn?: string; endsOn?: string }) => {
      const input = {
        organizerId: options.org,
        name: options.name,
        startsOn: options.startsOn,
        endsOn: options.endsOn,
      };
      io.out((await createEvent(OPERATOR, await database(), input)).id);
    });

  const activity = program.command("activity").description("activities (the races of an event)");
  activity
    .command("create")
    .description("creates an activity of an event; prints its id")
    .requiredOption("--event <id>", "the event's id")
    .requiredOption("--name <name>", "its name")
    .option("--starts-at <datetime>", "start, ISO 8601 with an offset", instant)
    .option("--currency <code>", "ISO 4217 currency of its fees", "CZK")
    .action(async (options: { event: string; name: string; startsAt?: Date; currency: string }) => {
      const input = {
        eventId: options.event,
        name: options.name,
        startsAt: options.startsAt,
        currency: options.currency,
      };
      io.out((await createActivity(OPERATOR, await database(), input)).id);
    });

  const key = program.command("key").description("access keys");
  key
    .command("create")
    .description("creates an access key for an account; prints name:secret alone (the secret is shown only once)")
    .requiredOption("--login <login>", "the login of an existing account")
    .option("--name <name>", "key name (generated if absent)")
    .option("--secret <secret>", "key secret, at least 16 characters (generated if absent)")
    .option("--description <text>", "what the key is for")
    .option("--read-only", "the key can read but not sync or change anything")
    .option("--organization <id...>", "limit the key to these of the account's organizations")
    .action(
      async (options: {
        login: string;
        name?: string;
        secret?: string;
        description?: string;
        readOnly?: boolean;
        organization?: string[];
      }) => {
        const input = {
          login: options.login,
          name: options.name,
          secret: options.secret,
          description: options.description,
          readOnly: options.readOnly ?? false,
          organizationIds: options.organization ?? null,
        };
        const created = await createKey(OPERATOR, await database(), input);
        io.out(`${created.key.name}:${created.secret}`);
      },
    );
  key
    .command("revoke")
    .description("revokes an access key; the next request made with it is refused")
    .argument("<name>", "the key's name")
    .action(async (name: string) => {
      await revokeKey(OPERATOR, await database(), { name });
      io.err(`Revoked access key ${name}.`);
    });

  program
    .command("demo")
    .description("loads the demo data (again: nothing is duplicated) and creates a new key for each demo role")
    .option("--json", 'print one line of JSON: {"activityId", "keys": {"organizer", "timing", "outsider"}}')
    .action(async (options: { json?: boolean }) => {
      const demo = await loadDemoData(await database());
      if (options.json) {
        io.out(JSON.stringify({ activityId: demo.activityId, keys: demo.keys }));
        return;
      }
      io.out(`Demo data loaded; the seed's activity is ${demo.activityId}.`);
      io.out("New access keys (name:secret):");
      io.out(`  organizer       ${demo.keys.organizer}`);
      io.out(`  timing company  ${demo.keys.timing}`);
      io.out(`  outsider        ${demo.keys.outsider}`);
      io.out("Start the server (npm start) and try the seed's JSON example:");
      io.out(seedJsonCurl(`http://localhost:${config().port}`, demo.keys.organizer));
      io.out("and the platform's results example (with the timing company's key):");
      io.out(resultsExampleCurl(`http://localhost:${config().port}`, demo.keys.timing));
    });

  registerTransferCommands(program, io, env);
  return program;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one operator command; returns the process exit code (0, or 1 after writing a message to `err`).
 * The database is opened only when a command needs it, and always closed before returning.
 */
export async function runCli(argv: string[], io: CliIo, env?: Record<string, string | undefined>): Promise<number> {
  let config: Config | undefined;
  const loadedConfig = () => (config ??= loadConfig(env ?? process.env));
  let opening: Promise<DataSource> | undefined;
  const database = () => (opening ??= openDatabase(loadedConfig()));

  let exitCode = 0;
  try {
    await buildProgram(io, loadedConfig, database, env ?? process.env).parseAsync(argv, { from: "user" });
  } catch (error) {
    // Commander has already written its own message (or the help) through io.
    if (error instanceof CommanderError) exitCode = error.exitCode;
    else {
      io.err(`error: ${message(error)}`);
      exitCode = 1;
    }
  }
  if (opening) {
    try {
      // A database that failed to open has been released by openDatabase; its error is reported above.
      const db = await opening.catch(() => undefined);
      await db?.destroy();
    } catch (error) {
      io.err(`error: closing the database: ${message(error)}`);
      exitCode = 1;
    }
  }
  return exitCode;
}
