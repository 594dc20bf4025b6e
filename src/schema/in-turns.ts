// Long lists in GraphQL answers, completed a slice per event-loop turn (issue 12).
import { setImmediate as nextTurn } from "node:timers/promises";

/** Items per turn: a 10,000-row sync's results with every field selected take about 40 ms a slice of 500. */
export const ITEMS_PER_TURN = 500;

/**
 * The list with its items after the first slice given as promises that settle one event-loop turn per
 * slice later. graphql-js completes a list item when it settles, so a long list is completed a slice at
 * a time, and other requests (/healthz too) are served between slices instead of after the whole list.
 */
export function inTurns<T>(list: readonly T[], size = ITEMS_PER_TURN): (T | Promise<T>)[] {
  if (list.length <= size) return [...list];
  const items: (T | Promise<T>)[] = list.slice(0, size);
  let turn: Promise<unknown> = Promise.resolve();
  for (let start = size; start < list.length; start += size) {
    turn = turn.then(() => nextTurn());
    const slice = turn;
    for (const item of list.slice(start, start + size)) items.push(slice.then(() => item));
  }
  return items;
}
