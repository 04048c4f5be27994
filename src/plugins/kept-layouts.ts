import type { Piece } from '../http/html-splice.js';

/**
 * Rendered layouts (or headers) kept by everything they were rendered from, so that a page
 * rendered again from the same inputs is only copied (plugins/views.ts, `reuseLayout`). A
 * value is a pure function of its key (the templates are compiled once and read nothing
 * else), so nothing here can go stale; the bound only caps memory. Oldest kept goes first.
 */
export class KeptLayouts {
  private readonly kept = new Map<string, Piece[]>();

  constructor(private readonly maxEntries: number) {}

  get(key: string): Piece[] | undefined {
    return this.kept.get(key);
  }

  set(key: string, pieces: Piece[]): void {
    this.kept.delete(key);
    this.kept.set(key, pieces);
    while (this.kept.size > this.maxEntries) this.kept.delete(this.kept.keys().next().value as string);
  }

  get size(): number {
    return this.kept.size;
  }
}
