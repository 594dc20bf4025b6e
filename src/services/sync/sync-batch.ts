// The items of one sync, handed over to the sync service, which lets them go as soon as it is done.

/**
 * A sync's items, owned by runSync once handed to it. It keeps them while a batch may be planned again
 * (a deadlock's retry), then lets them go when it returns, so that a large upload's items are collected
 * while its answer is encoded and sent. To get that, the caller keeps no other reference to the array:
 * it makes the batch where it reads the items (see the REST route). The array itself is never changed.
 */
export class SyncBatch<Item = unknown> {
  private items: readonly Item[] | null;

  constructor(items: readonly Item[]) {
    this.items = items;
  }

  /** The items. @throws Error once the batch was synced: its items are gone. */
  read(): readonly Item[] {
    if (!this.items) throw new Error("This batch was synced already; its items are let go");
    return this.items;
  }

  /** Lets the items go (runSync does, when it returns). */
  release(): void {
    this.items = null;
  }
}
