import type { FacetDistribution, SearchFacet } from '../port.js';
import type { TagLists } from './attributes.js';
import type { DocAttributes } from './ranking.js';

/** Tag lists repeat (a thread's answers carry its tags): each is split once (bounded: about 100 bytes a list; facets from the in-memory copy count tag numbers instead, so only hits and the table path split here). */
const splitCache = new Map<string, readonly string[]>();
export function tagList(tags: string | null): readonly string[] {
  if (!tags) return [];
  let list = splitCache.get(tags);
  if (!list) {
    list = tags.split(' ').filter((t) => t !== '');
    if (splitCache.size >= 20_000) splitCache.clear();
    splitCache.set(tags, list);
  }
  return list;
}

/**
 * Facet counts over the listed documents, each with its weight (1, or the estimate's scale
 * beyond a sample). Rows come one call at a time with their attributes as values: a broad
 * search adds over a thousand, and an object or closure per row was garbage.
 */
export class FacetCounter {
  private readonly communities = new Map<number, number>();
  private readonly kinds = new Map<string, number>();
  /** Weight per distinct tags string: a thread's answers carry its tags, split once at the end. */
  private readonly tagLists = new Map<string, number>();
  /**
   * Rows from the in-memory copy carry their tags as numbers (attributes.ts TagLists):
   * weight per tag, and the tags in order of first appearance (the order the string path
   * gives, so ties in the facet list come out the same).
   */
  private tagCounts: Float64Array | null = null;
  private tagOrder: number[] = [];
  private dictionary: TagLists | null = null;
  private readonly community: boolean;
  private readonly kind: boolean;
  private readonly tag: boolean;
  constructor(private readonly facets: readonly SearchFacet[]) {
    this.community = facets.includes('community');
    this.kind = facets.includes('kind');
    this.tag = facets.includes('tag');
  }

  /** Whether any facet was asked for (no pass over the rows otherwise). */
  get wanted(): boolean {
    return this.facets.length > 0;
  }

  /** One row: its tags as a TagLists id of `dictionary` (tagsId >= 0), or as the string. */
  add(kind: DocAttributes['kind'], community: number, tags: string, tagsId: number, dictionary: TagLists | null, w: number): void {
    if (this.community) this.communities.set(community, (this.communities.get(community) ?? 0) + w);
    if (this.kind) this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + w);
    if (!this.tag || tags === '') return;
    if (dictionary && tagsId >= 0) this.addTags(dictionary, tagsId, w);
    else this.tagLists.set(tags, (this.tagLists.get(tags) ?? 0) + w);
  }

  private addTags(dictionary: TagLists, list: number, w: number): void {
    if (this.dictionary !== dictionary || !this.tagCounts) {
      this.dictionary = dictionary;
      this.tagCounts = new Float64Array(dictionary.tagCount);
    }
    const counts = this.tagCounts;
    for (let at = dictionary.from(list), end = dictionary.to(list); at < end; at++) {
      const t = dictionary.tagAt(at);
      if (counts[t] === 0) this.tagOrder.push(t);
      counts[t]! += w;
    }
  }

  result(): FacetDistribution {
    const out: FacetDistribution = {};
    const round = (entries: Iterable<[string, number]>) => {
      const dist: Record<string, number> = {};
      for (const [k, v] of entries) dist[k] = Math.round(v);
      return dist;
    };
    for (const f of this.facets) {
      if (f === 'community') out.community = round([...this.communities].map(([id, w]) => [String(id), w]));
      else if (f === 'kind') out.kind = round(this.kinds);
      else {
        const tags = new Map<string, number>();
        if (this.dictionary && this.tagCounts) for (const t of this.tagOrder) tags.set(this.dictionary.name(t), this.tagCounts[t]!);
        for (const [list, w] of this.tagLists) for (const t of tagList(list)) tags.set(t, (tags.get(t) ?? 0) + w);
        out.tag = round(tags);
      }
    }
    return out;
  }
}
