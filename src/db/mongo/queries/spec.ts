/*
 * Query specifications. Every repository builds its MongoDB queries with the pure functions
 * in this folder and hands the result to mongoose unchanged, so the exact filter, update,
 * sort and options each port method sends are tested offline (test/unit/mongo-queries*.test.ts)
 * without a server. Values that come from users (names, slugs, tags, keys) are coerced
 * with text() so an object can never smuggle a query operator in.
 */

export type Filter = Record<string, unknown>;
export type Update = Record<string, unknown> | Array<Record<string, unknown>>;
export type SortSpec = Record<string, 1 | -1>;
export type Projection = Record<string, 0 | 1>;

export interface FindSpec {
  filter: Filter;
  sort?: SortSpec;
  skip?: number;
  limit?: number;
  projection?: Projection;
}

export interface UpdateSpec {
  filter: Filter;
  update: Update;
  options?: { upsert?: boolean; returnDocument?: 'before' | 'after'; projection?: Projection };
}

export type Pipeline = Array<Record<string, unknown>>;

/** A user-supplied value used as a plain string in a filter (never an operator object). */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** A non-negative whole number for skip/limit. */
export function count(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
