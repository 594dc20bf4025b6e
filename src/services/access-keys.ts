// The access-key aggregate: creation (secret shown once), verification against a slow hash, listing and
// revocation, for a key's own account or, by the operator, for any account.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, createHash } from "node:crypto";
import { promisify } from "node:util";
import { IsOptional, Matches, MinLength } from "class-validator";
import { ArgsType, Field, ID } from "type-graphql";
import type { DataSource, EntityManager } from "typeorm";
import { AccessKey } from "../entities/access-key";
import { isObjectId, newObjectId } from "../db/object-id";
import { loadAccess } from "./access";
import { findAccountByLogin } from "./accounts";
import { type Caller, isOperator } from "./caller";
import { InvalidInputError, NotFoundError } from "./domain-errors";
import { inputOf } from "./management-field-rules";
import { checkedInput } from "./input-validation";
import type { RequestContext } from "./request-context";

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;
/** scrypt's cost N for new keys in production: 2^14, with r = 8 (16 MB and tens of milliseconds a hash). */
export const KEY_HASH_COST = 16384;
const SCRYPT = { N: KEY_HASH_COST, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_NAME = /^[A-Za-z0-9._~-]{3,64}$/;
const VERIFIED_TTL_MS = 60_000;

export interface CreatedAccessKey {
  id: string;
  name: string;
  /** Shown once; only its hash is stored. */
  secret: string;
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

async function secretMatches(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt") return false;
  const expected = Buffer.from(hash, "base64");
  const actual = await scrypt(secret, Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

// Verifying scrypt on every request would cap throughput at a few dozen requests a second, so a
// successful verification is remembered briefly, keyed by a fast hash of the stored hash and the
// presented secret. Revocation is still checked on every request: the key row is always read.
const verified = new Map<string, number>();
// A client's parallel first requests with one key share one scrypt run (and one point of a failure limit).
const checking = new Map<string, Promise<boolean>>();
// Unknown key names are checked against this hash so that they take as long as known ones.
let decoyHash = hashSecret(randomBytes(16).toString("hex"));

/**
 * Sets scrypt's N for keys created from now on (a power of two). Nothing in the app calls it: production
 * keeps KEY_HASH_COST. The test suite lowers it (test/support/key-hash-cost.ts), where hundreds of keys
 * are made and checked; each stored hash names its own N, so a key verifies at the cost it was made with.
 */
export function setKeyHashCost(cost: number): void {
  if (!Number.isInteger(cost) || cost < 2 || (cost & (cost - 1)) !== 0)
    throw new RangeError(`scrypt's cost must be a power of two, got ${cost}`);
  SCRYPT.N = cost;
  decoyHash = hashSecret(randomBytes(16).toString("hex"));
}

/**
 * Called before each scrypt run, never for a secret verified moments ago: a rate limiter counts the
 * attempt there, before it costs anything, and throws to refuse it.
 */
export type BeforeSlowCheck = () => Promise<void>;

async function verifySecret(
  secret: string,
  stored: string | undefined,
  beforeSlowCheck?: BeforeSlowCheck,
): Promise<boolean> {
  if (stored === undefined) {
    await beforeSlowCheck?.();
    await secretMatches(secret, await decoyHash);
    return false;
  }
  const cacheKey = createHash("sha256").update(stored).update("\0").update(secret).digest("base64");
  const until = verified.get(cacheKey);
  if (until !== undefined && until > Date.now()) return true;
  let check = checking.get(cacheKey);
  if (!check) {
    await beforeSlowCheck?.();
    // Another request with the same secret may have started the check while this one was counted.
    check = checking.get(cacheKey);
    if (!check) {
      check = secretMatches(secret, stored);
      checking.set(cacheKey, check);
      void check.then(
        () => checking.delete(cacheKey),
        () => checking.delete(cacheKey),
      );
    }
  }
  if (!(await check)) return false;
  if (verified.size > 10_000) verified.clear();
  verified.set(cacheKey, Date.now() + VERIFIED_TTL_MS);
  return true;
}

// One answer for every name that cannot be used, whoever holds it: "already exists" told any tenant
// which names other tenants' keys have. That a name is in use somewhere still shows (names are global),
// but it no longer lets anyone lock the key out: failures count per key name and address (rate-limits.ts).
const NAME_REFUSED =
  "This key name cannot be used: a key name has 3 to 64 letters, digits or . _ ~ - (no colon) and is not in use; leave it out to get a generated one";

@ArgsType()
export class CreateAccessKeyArgs {
  @Field(() => String, { nullable: true, description: "Key name (3–64 of A–Z a–z 0–9 . _ ~ -)." })
  @IsOptional()
  @Matches(KEY_NAME, { message: NAME_REFUSED })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "Secret, at least 16 characters." })
  @IsOptional()
  @MinLength(16, { message: "A key secret has at least 16 characters" })
  secret?: string | null;

  @Field(() => String, { nullable: true, description: "What the key is for." })
  description?: string | null;

  @Field(() => Boolean, { defaultValue: false, description: "Make a key that can read but not write." })
  readOnly: boolean = false;

  @Field(() => [ID], {
    nullable: true,
    description:
      "Limit the key to these of the viewer's organizations; omitted: all (or, with a limited key, the same limit).",
  })
  organizationIds?: string[] | null;

  /** The operator's only: the login of the account the key is for (a key's own caller makes keys for its own account). */
  login?: string;
}

/**
 * Creates a key for an account. Name and secret are generated unless given.
 * @throws InvalidInputError when a given name or secret has the wrong shape or the name is in use (by anyone: one answer for all).
 */
export async function createAccessKey(
  db: DataSource | EntityManager,
  accountId: string,
  options: {
    name?: string;
    secret?: string;
    description?: string;
    readOnly?: boolean;
    organizationIds?: string[] | null;
  } = {},
): Promise<CreatedAccessKey> {
  const name = options.name ?? `key-${randomBytes(6).toString("hex")}`;
  const secret = options.secret ?? randomBytes(24).toString("base64url");
  checkedInput(inputOf(CreateAccessKeyArgs, { name, secret }));
  const repository = db.getRepository(AccessKey);
  if (await repository.existsBy({ name })) throw new InvalidInputError("name", NAME_REFUSED);
  const key = repository.create({
    id: newObjectId(),
    accountId,
    name,
    secretHash: await hashSecret(secret),
    description: options.description ?? "",
    createdAt: new Date(),
    lastUsedAt: null,
    revokedAt: null,
    readOnly: options.readOnly ?? false,
    organizationIds: options.organizationIds ?? null,
  });
  try {
    await repository.insert(key);
  } catch (error) {
    // The same name taken by a concurrent creation.
    if ((error as { code?: string }).code === "23505") throw new InvalidInputError("name", NAME_REFUSED);
    throw error;
  }
  return { id: key.id, name, secret };
}

/**
 * Revokes a key by name; the next request made with it is refused.
 * @throws NotFoundError when no such key exists.
 */
export async function revokeAccessKey(db: DataSource | EntityManager, name: string): Promise<void> {
  const result = await db.getRepository(AccessKey).update({ name }, { revokedAt: () => "coalesce(revoked_at, now())" });
  if (!result.affected) throw new NotFoundError("Access key", name);
}

/** A key whose secret checked out, with its limits. */
export interface VerifiedKey {
  id: string;
  accountId: string;
  readOnly: boolean;
  /** null: every organization of the account. */
  organizationIds: string[] | null;
}

/**
 * Checks a key's name and secret; returns the live key or null (unknown, wrong secret or revoked).
 * Records the last-used time at most once a minute.
 * @throws whatever beforeSlowCheck throws (a rate limit), before the secret is checked.
 */
export async function verifyAccessKey(
  db: DataSource,
  name: string,
  secret: string,
  beforeSlowCheck?: BeforeSlowCheck,
): Promise<VerifiedKey | null> {
  const [row] = (await db.query(
    `SELECT id, account_id, secret_hash, revoked_at, read_only, organization_ids FROM access_key WHERE name = $1`,
    [name],
  )) as {
    id: string;
    account_id: string;
    secret_hash: string;
    revoked_at: Date | null;
    read_only: boolean;
    organization_ids: string[] | null;
  }[];
  if (!(await verifySecret(secret, row?.secret_hash, beforeSlowCheck)) || row.revoked_at) return null;
  await db.query(
    `UPDATE access_key SET last_used_at = now()
      WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [row.id],
  );
  return { id: row.id, accountId: row.account_id, readOnly: row.read_only, organizationIds: row.organization_ids };
}

export interface AccessKeyView {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  readOnly: boolean;
  organizationIds: string[] | null;
}

const keyView = ({
  id,
  name,
  description,
  createdAt,
  lastUsedAt,
  revokedAt,
  readOnly,
  organizationIds,
}: AccessKey): AccessKeyView => ({
  id,
  name,
  description,
  createdAt,
  lastUsedAt,
  revokedAt,
  readOnly,
  organizationIds,
});

/**
 * Whether the caller may see and revoke `key`: the operator, any; an unlimited key, every key of its account;
 * a key limited to some organizations, only keys limited to those or fewer. Otherwise a key for one club
 * would list the account's other organization ids and could revoke the account's unlimited key.
 */
function withinKeyScope(ctx: Caller, key: AccessKey): boolean {
  if (isOperator(ctx)) return true;
  if (key.accountId !== ctx.accountId) return false;
  const scope = ctx.keyOrganizationIds;
  return scope === null || (key.organizationIds !== null && key.organizationIds.every((id) => scope.includes(id)));
}

/** The caller's own keys within its key's scope (see withinKeyScope), newest first (never their secrets). */
export async function listAccessKeys(ctx: RequestContext, db: DataSource): Promise<AccessKeyView[]> {
  const keys = await db
    .getRepository(AccessKey)
    .find({ where: { accountId: ctx.accountId }, order: { createdAt: "DESC", id: "ASC" } });
  return keys.filter((key) => withinKeyScope(ctx, key)).map(keyView);
}

/** Whose key is made, the organizations it may be limited to, and how to say that one is not among them. */
async function keyOwner(ctx: Caller, db: DataSource, login: string | undefined) {
  if (!isOperator(ctx))
    return {
      accountId: ctx.accountId,
      roles: ctx.roles,
      scope: ctx.keyOrganizationIds,
      notMember: "Not a member of",
      withKey: " with this key",
    };
  const account = login === undefined ? null : await findAccountByLogin(db, login);
  if (!account) throw new InvalidInputError("login", `no account with login ${login}`);
  const { roles } = await loadAccess(db, account.id);
  return { accountId: account.id, roles, scope: null, notMember: `${login} is not a member of`, withKey: "" };
}

/**
 * A new key; the secret is in the answer once and never again. A key's caller makes keys for its own account,
 * limited to the same organizations or fewer, so a key never makes a stronger one; the operator, for any account.
 * @throws InvalidInputError for a bad or taken name, a short secret, an unknown login (the operator's), or an organization the account (with this key) is not a member of.
 */
export async function createKey(
  ctx: Caller,
  db: DataSource,
  args: CreateAccessKeyArgs,
): Promise<{ key: AccessKeyView; secret: string }> {
  const owner = await keyOwner(ctx, db, args.login);
  const organizationIds = args.organizationIds ? [...new Set(args.organizationIds)] : owner.scope;
  const foreign = organizationIds?.filter((id) => !owner.roles.has(id)) ?? [];
  if (foreign.length)
    throw new InvalidInputError("organizationIds", `${owner.notMember} ${foreign.join(", ")}${owner.withKey}`);
  const created = await createAccessKey(db, owner.accountId, {
    name: args.name ?? undefined,
    secret: args.secret ?? undefined,
    description: args.description ?? undefined,
    readOnly: args.readOnly ?? false,
    organizationIds: organizationIds ? [...organizationIds] : null,
  });
  return {
    key: keyView(await db.getRepository(AccessKey).findOneByOrFail({ id: created.id })),
    secret: created.secret,
  };
}

/** A key by id (a key's caller) or by name (the operator, who is given names). */
export type KeyRef = { id: string } | { name: string };

/**
 * Revokes a key within the caller's scope (see withinKeyScope); the next request made with it is refused.
 * @throws NotFoundError for any other key, the same answer as for a key that does not exist.
 */
export async function revokeKey(ctx: Caller, db: DataSource, ref: KeyRef): Promise<AccessKeyView> {
  const repository = db.getRepository(AccessKey);
  const key =
    "name" in ref
      ? await repository.findOneBy({ name: ref.name })
      : isObjectId(ref.id)
        ? await repository.findOneBy({ id: ref.id })
        : null;
  if (!key || !withinKeyScope(ctx, key)) throw new NotFoundError("Access key", "name" in ref ? ref.name : ref.id);
  await repository.update({ id: key.id }, { revokedAt: () => "coalesce(revoked_at, now())" });
  return keyView(await repository.findOneByOrFail({ id: key.id }));
}
