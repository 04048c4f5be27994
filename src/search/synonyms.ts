/*
 * Synonym groups as the engines use them. A group's terms are folded as query words are
 * (src/domain/synonym-rules.ts), single words ("wlan") or phrases of several tokens
 * ("wi fi"), and a term belongs to one group only, so looking a query word up is one map
 * read and yields at most nine alternatives.
 */

/** What an engine needs from the storage: the groups, and a cheap value that changes with them. */
export interface SynonymSource {
  list(): Promise<Array<{ terms: string[] }>>;
  version(): Promise<string>;
}

export class SynonymSet {
  static readonly EMPTY = new SynonymSet([]);
  private readonly groupOf = new Map<string, readonly string[]>();
  /** Tokens in the longest term: how far a query is scanned for a phrase term. */
  readonly longestTerm: number;

  constructor(groups: ReadonlyArray<{ terms: readonly string[] }>) {
    let longest = 1;
    for (const { terms } of groups) {
      for (const term of terms) {
        this.groupOf.set(term, terms);
        longest = Math.max(longest, term.split(' ').length);
      }
    }
    this.longestTerm = longest;
  }

  get size(): number {
    return this.groupOf.size;
  }

  has(term: string): boolean {
    return this.groupOf.has(term);
  }

  /** The other terms of the term's group (none when it is in no group). */
  alternatives(term: string): string[] {
    return (this.groupOf.get(term) ?? []).filter((t) => t !== term);
  }
}

/**
 * The groups of a source, read again only when its version changes: an embedded search asks
 * for the version on every query (one indexed read) and sees a change made by any process.
 */
export class CachedSynonyms {
  private cached: { version: string; set: SynonymSet } | null = null;
  private readonly fixed: SynonymSet;

  /** `extend` adds groups of the engine's own (built-in synonyms) to the stored ones. */
  constructor(
    private readonly source: SynonymSource | null,
    private readonly extend: (groups: ReadonlyArray<{ terms: readonly string[] }>) => ReadonlyArray<{ terms: readonly string[] }> = (g) => g,
  ) {
    const own = extend([]);
    this.fixed = own.length > 0 ? new SynonymSet(own) : SynonymSet.EMPTY;
  }

  async current(): Promise<{ version: string; set: SynonymSet }> {
    if (!this.source) return { version: '', set: this.fixed };
    // Version first: a change landing between the two reads then costs one more reload
    // later, instead of leaving the old groups cached under the new version.
    const version = await this.source.version();
    if (this.cached?.version !== version) this.cached = { version, set: new SynonymSet(this.extend(await this.source.list())) };
    return this.cached;
  }
}
