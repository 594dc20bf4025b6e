// User accounts as management sees them: found or made by login when someone is added to an organization.
import type { DataSource, EntityManager } from "typeorm";
import { newObjectId } from "../db/object-id";
import { UserAccount } from "../entities/user-account";

/** Logins compare without surrounding blanks and case: ja@example.cz and Ja@Example.cz are one account. */
export function normalLogin(login: string): string {
  return login.trim().toLowerCase();
}

/** The account with this login, or null. */
export async function findAccountByLogin(db: DataSource | EntityManager, login: string): Promise<UserAccount | null> {
  return db.getRepository(UserAccount).findOneBy({ login: normalLogin(login) });
}

/** Finds the account with this login, creating it (claimed) when there is none. The login is checked by the caller's input class. */
export async function ensureAccount(db: DataSource | EntityManager, login: string): Promise<UserAccount> {
  const existing = await findAccountByLogin(db, login);
  if (existing) return existing;
  const account = db
    .getRepository(UserAccount)
    .create({ id: newObjectId(), login: normalLogin(login), unclaimed: false, createdAt: new Date() });
  await db.getRepository(UserAccount).insert(account);
  return account;
}

/** An account's id and login (what members of its organizations see). @throws EntityNotFoundError for an unknown id. */
export async function loadAccount(db: DataSource | EntityManager, id: string): Promise<{ id: string; login: string }> {
  const { login } = await db
    .getRepository(UserAccount)
    .findOneOrFail({ select: { id: true, login: true }, where: { id } });
  return { id, login };
}
