// Counts the SQL statements a piece of work sends, by watching TypeORM's query log hook.
import type { DataSource } from "typeorm";

export async function countStatements(
  db: DataSource,
  work: () => Promise<unknown>,
): Promise<{ count: number; statements: string[] }> {
  const statements: string[] = [];
  const original = db.logger;
  const counting = new Proxy(original, {
    get(target, property, receiver) {
      if (property === "logQuery") return (query: string) => statements.push(query.replace(/\s+/g, " ").trim());
      return Reflect.get(target, property, receiver);
    },
  });
  Object.defineProperty(db, "logger", { value: counting, configurable: true, writable: true });
  try {
    await work();
  } finally {
    Object.defineProperty(db, "logger", { value: original, configurable: true, writable: true });
  }
  return { count: statements.length, statements };
}
