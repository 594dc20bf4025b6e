// How a sync writes a large batch: in slices of rows, each one statement per table.

/**
 * Rows per statement. Up to this many a batch costs a fixed number of statements; a bigger one is
 * written in slices inside the same transaction, so that no single statement's parameters (tens of
 * megabytes for 50,000 rows) are held at once.
 */
export const ROWS_PER_STATEMENT = 10_000;

/** `list` in pieces of ROWS_PER_STATEMENT items. */
export function* slices<T>(list: readonly T[]): Generator<T[]> {
  for (let start = 0; start < list.length; start += ROWS_PER_STATEMENT)
    yield list.slice(start, start + ROWS_PER_STATEMENT);
}
