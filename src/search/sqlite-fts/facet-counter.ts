import type { FacetDistribution, SearchFacet } from '../port.js';
import { KINDS, type TagLists } from './attributes.js';
import { SlotMap } from './slot-map.js';

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
 * beyond a sample). Rows come one call at a time with their attributes as numbers, summed in
 * typed arrays: a broad search adds over a thousand rows, and Map updates and an object or
 * closure per row were most of the cost. Values are listed in order of first appearance and
 * each sum is made in row order, as a Map per facet would.
 */
export class FacetCounter {
  /** Community -> its index in communityIds / communitySums. */
  private readonly communityIndex = new SlotMap();
  private readonly communityIds: number[] = [];
  private communitySums = new Float64Array(16);
  /** By KINDS code. */
  private readonly kindSums = new Float64Array(KINDS.length);
  private readonly kindOrder: number[] = [];
  /** Weight per distinct tags string (rows read from the table): a thread's answers carry its tags, split once at the end. */
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

  /**
   * One row: its kind as a KINDS code, its tags as a TagLists id of `dictionary`
   * (tagsId >= 0) or else as the string.
   */
  add(kind: number, community: number, tagsId: number, dictionary: TagLists | null, tags: string | null, w: number): void {
    if (this.community) {
      let at = this.communityIndex.getOrSet(community, this.communityIds.length);
      if (at === -1) {
        at = this.communityIds.length;
        this.communityIds.push(community);
        if (at === this.communitySums.length) {
          const grown = new Float64Array(at * 2);
          grown.set(this.communitySums);
          this.communitySums = grown;
        }
      }
      this.communitySums[at]! += w;
    }
    if (this.kind) {
      if (!this.kindOrder.includes(kind)) this.kindOrder.push(kind);
      this.kindSums[kind]! += w;
    }
    if (!this.tag) return;
    if (dictionary && tagsId >= 0) this.addTags(dictionary, tagsId, w);
    else if (tags) this.tagLists.set(tags, (this.tagLists.get(tags) ?? 0) + w);
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
    for (const f of this.facets) {
      const dist: Record<string, number> = {};
      if (f === 'community') this.communityIds.forEach((id, at) => (dist[String(id)] = Math.round(this.communitySums[at]!)));
      else if (f === 'kind') for (const k of this.kindOrder) dist[KINDS[k]!] = Math.round(this.kindSums[k]!);
      else if (this.tagLists.size === 0) {
        if (this.dictionary && this.tagCounts) for (const t of this.tagOrder) dist[this.dictionary.name(t)] = Math.round(this.tagCounts[t]!);
      } else {
        const tags = new Map<string, number>();
        if (this.dictionary && this.tagCounts) for (const t of this.tagOrder) tags.set(this.dictionary.name(t), this.tagCounts[t]!);
        for (const [list, w] of this.tagLists) for (const t of tagList(list)) tags.set(t, (tags.get(t) ?? 0) + w);
        for (const [k, v] of tags) dist[k] = Math.round(v);
      }
      out[f] = dist;
    }
    return out;
  }
}
