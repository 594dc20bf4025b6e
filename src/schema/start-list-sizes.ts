// What a start list costs in an operation's complexity: its entries, counted before anything runs.
import type { ComplexityEstimatorArgs } from "graphql-query-complexity";
import type { DataSource } from "typeorm";
import type { Authentication } from "../auth/authenticate";
import { largestStartList, startListSizes } from "../services/start-list";
import type { EstimateContext } from "./limits";

/**
 * What the start-list fields' complexity asks while complexityLimitPlugin estimates an operation twice: the first
 * pass notes which start lists it holds (each as 1 entry), lookUp() counts their entries in at most two statements,
 * the second pass uses the counts.
 */
export class StartListSizes implements EstimateContext {
  private readonly activityIds = new Set<string>();
  private throughActivities = false;
  private sizes?: Map<string, number>;
  private largest = 0;

  constructor(
    private readonly db: DataSource,
    private readonly auth: Authentication,
  ) {}

  /**
   * The entries of the activity's start list. Without an id (a start list reached through an activity, which the
   * estimate cannot see) the largest start list the caller's key reaches. At least 1.
   */
  of(activityId?: string): number {
    if (!this.sizes) {
      if (activityId === undefined) this.throughActivities = true;
      else this.activityIds.add(activityId);
      return 1;
    }
    return Math.max(1, activityId === undefined ? this.largest : (this.sizes.get(activityId) ?? 0));
  }

  async lookUp(): Promise<boolean> {
    if (!this.activityIds.size && !this.throughActivities) return false;
    this.sizes = await startListSizes(this.db, [...this.activityIds]);
    // Without a key no activity is reached: its start lists fail with UNAUTHENTICATED, unread.
    if (this.throughActivities && this.auth.kind === "key")
      this.largest = await largestStartList(this.db, [...this.auth.ctx.reachableOrganizerIds]);
    return true;
  }
}

/**
 * type-graphql's complexity option of the start-list fields: what is selected of a start list, once per entry.
 * So 800 aliases of a 5,000-runner list cost millions, not 800.
 */
export function startListComplexity({ childComplexity, args, context }: ComplexityEstimatorArgs): number {
  const sizes = context instanceof StartListSizes ? context : undefined;
  const activityId = typeof args.activityId === "string" ? args.activityId : undefined;
  return (sizes?.of(activityId) ?? 1) * childComplexity + 1;
}
