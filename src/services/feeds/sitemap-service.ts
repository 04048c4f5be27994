import type { FaqRepository, PostRepository } from '../../db/ports.js';
import type { FaqCategory } from '../../domain/faq-types.js';
import type { Community } from '../../domain/types.js';
import { faqHomeUrl } from '../../presenters/faq.js';
import { faqCategoryUrl, faqEntryUrl } from '../faq/faq-service.js';
import { questionUrl } from '../qa/question-service.js';

/** Below the protocol's 50,000 so that a page never brushes against the limit. */
export const SITEMAP_MAX_URLS = 45_000;

/* A page of questions is read in slices, so one sitemap request never holds 45,000 rows at once. */
const READ_SLICE = 5_000;

export interface SitemapUrl {
  /** A path on this site, or '' for the home page. */
  path: string;
  lastmod?: number;
}

/** One community's share of a numbered questions page: skip `offset` of its questions, take `count`. */
interface Slice {
  community: Community;
  offset: number;
  count: number;
}

/**
 * Splits all questions into numbered pages of SITEMAP_MAX_URLS. The per-community question
 * counters (kept on write) say where each page starts without reading any question, so a
 * page request reads only its own rows. Communities keep a fixed order (oldest first) so
 * the index and the pages agree between requests.
 */
export function planQuestionPages(communities: Community[], pageSize = SITEMAP_MAX_URLS): Slice[][] {
  const ordered = [...communities].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id, 'en', { numeric: true }));
  const pages: Slice[][] = [];
  let current: Slice[] = [];
  let room = pageSize;
  for (const community of ordered) {
    let offset = 0;
    let left = community.questionCount;
    while (left > 0) {
      const count = Math.min(left, room);
      current.push({ community, offset, count });
      offset += count;
      left -= count;
      room -= count;
      if (room === 0) {
        pages.push(current);
        current = [];
        room = pageSize;
      }
    }
  }
  if (current.length) pages.push(current);
  return pages;
}

/** Category URL paths are slug chains from the root; an orphan (parent gone) is left out. */
function categoryPaths(categories: FaqCategory[]): Map<string, string[]> {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const paths = new Map<string, string[]>();
  const pathOf = (c: FaqCategory, seen: Set<string>): string[] | null => {
    const known = paths.get(c.id);
    if (known) return known;
    if (seen.has(c.id)) return null;
    seen.add(c.id);
    let path: string[] | null = [c.slug];
    if (c.parentId) {
      const parent = byId.get(c.parentId);
      const above = parent ? pathOf(parent, seen) : null;
      path = above ? [...above, c.slug] : null;
    }
    if (path) paths.set(c.id, path);
    return path;
  };
  for (const c of categories) pathOf(c, new Set());
  return paths;
}

/** What the sitemaps list: every public page, read through the ports. */
export class SitemapService {
  constructor(
    private readonly posts: PostRepository,
    private readonly faq: FaqRepository,
    private readonly communities: () => Promise<Community[]>,
    private readonly pageSize = SITEMAP_MAX_URLS,
  ) {}

  async questionPageCount(): Promise<number> {
    return planQuestionPages(await this.communities(), this.pageSize).length;
  }

  /** The questions of numbered page `page` (from 1), or null when there is no such page. */
  async questionPage(page: number): Promise<SitemapUrl[] | null> {
    const plan = planQuestionPages(await this.communities(), this.pageSize);
    const slices = plan[page - 1];
    if (!slices) return null;
    const urls: SitemapUrl[] = [];
    for (const { community, offset, count } of slices) {
      for (let done = 0; done < count; ) {
        const limit = Math.min(READ_SLICE, count - done);
        const rows = await this.posts.listQuestions({ communityId: community.id, sort: 'newest', offset: offset + done, limit, summary: true });
        const taken = rows.slice(0, limit);
        for (const q of taken) urls.push({ path: questionUrl(community.slug, q), lastmod: q.lastActivityAt });
        // Fewer rows than the counter promised: the counter is ahead, nothing more to read.
        if (taken.length < limit) break;
        done += limit;
      }
    }
    return urls;
  }

  /** Home, communities and each community's published FAQ. */
  async pages(): Promise<SitemapUrl[]> {
    const communities = await this.communities();
    const urls: SitemapUrl[] = [{ path: '' }];
    for (const c of communities) {
      urls.push({ path: `/c/${c.slug}`, lastmod: c.updatedAt });
      const [categories, entries] = await Promise.all([this.faq.listCategories(c.id), this.faq.listEntries(c.id, { status: 'published' })]);
      if (categories.length === 0 && entries.length === 0) continue;
      const newest = entries.reduce((at, e) => Math.max(at, e.updatedAt), 0);
      urls.push({ path: faqHomeUrl(c.slug), lastmod: newest || undefined });
      const paths = categoryPaths(categories);
      for (const cat of categories) {
        const path = paths.get(cat.id);
        if (path) urls.push({ path: faqCategoryUrl(c.slug, path), lastmod: cat.updatedAt });
      }
      for (const e of entries) urls.push({ path: faqEntryUrl(c.slug, e), lastmod: e.updatedAt });
    }
    return urls;
  }
}
