import type { FaqCategory, FaqEntry } from '../domain/faq-types.js';
import type { Community, Locale } from '../domain/types.js';
import { excerpt } from '../markdown/render.js';
import { faqCategoryUrl, faqEntryUrl, type CategoryNode, type FaqService } from '../services/faq/faq-service.js';
import { answerPermalink, questionUrl } from '../services/qa/question-service.js';
import { timeView } from './time.js';

/*
 * View models for the public FAQ pages. Templates get plain objects with ready URLs and
 * never the domain objects (which carry Markdown sources, counters and review flags).
 */

type HomeData = Awaited<ReturnType<FaqService['home']>>;
type CategoryData = Awaited<ReturnType<FaqService['categoryPage']>>;
type EntryData = Awaited<ReturnType<FaqService['entryPage']>>;

export interface FaqCommunityView {
  slug: string;
  name: string;
  url: string;
  faqUrl: string;
  askUrl: string;
}

export interface CrumbView {
  name: string;
  url: string;
}

export interface TreeNodeView {
  id: string;
  name: string;
  url: string;
  count: number;
  depth: number;
  children: TreeNodeView[];
}

export interface EntryRowView {
  id: string;
  title: string;
  url: string;
  excerpt: string;
  pinned: boolean;
  helpfulYes: number;
  category: CrumbView | null;
}

export function faqHomeUrl(communitySlug: string): string {
  return `/c/${communitySlug}/faq`;
}

export function faqModerationUrl(communitySlug: string): string {
  return `/mod/c/${communitySlug}/faq`;
}

function communityView(c: Community): FaqCommunityView {
  return { slug: c.slug, name: c.name, url: `/c/${c.slug}`, faqUrl: faqHomeUrl(c.slug), askUrl: `/c/${c.slug}/ask` };
}

function treeView(communitySlug: string, nodes: CategoryNode[]): TreeNodeView[] {
  return nodes.map((n) => ({ id: n.id, name: n.name, url: faqCategoryUrl(communitySlug, n.path), count: n.entryCount, depth: n.depth, children: treeView(communitySlug, n.children) }));
}

/** Every node of the tree by id, so entry rows can name (and link) their category. */
function nodesById(nodes: CategoryNode[], out = new Map<string, CategoryNode>()): Map<string, CategoryNode> {
  for (const n of nodes) {
    out.set(n.id, n);
    nodesById(n.children, out);
  }
  return out;
}

function entryRow(communitySlug: string, e: FaqEntry, category: CategoryNode | undefined): EntryRowView {
  return {
    id: e.id,
    title: e.title,
    url: faqEntryUrl(communitySlug, e),
    excerpt: excerpt(e.bodyText, 180),
    pinned: e.pinned,
    helpfulYes: e.helpfulYes,
    category: category ? { name: category.name, url: faqCategoryUrl(communitySlug, category.path) } : null,
  };
}

/** Links shared by every FAQ page: the scoped search, the community's questions, moderation. */
function pageLinks(c: Community, canModerate: boolean) {
  return {
    search: { action: '/search', community: c.slug, kind: 'faq' },
    moderateUrl: canModerate ? faqModerationUrl(c.slug) : null,
  };
}

export function faqHomeView(data: HomeData) {
  const c = data.community;
  const byId = nodesById(data.tree);
  return {
    community: communityView(c),
    tree: treeView(c.slug, data.tree),
    categoryCount: data.categories.length,
    entryTotal: data.entryTotal,
    topEntries: data.topEntries.map((e) => entryRow(c.slug, e, byId.get(e.categoryId))),
    ...pageLinks(c, data.canModerate),
  };
}

function trailView(communitySlug: string, trail: Array<Pick<FaqCategory, 'name'> & { path: string[] }>): CrumbView[] {
  return trail.map((t) => ({ name: t.name, url: faqCategoryUrl(communitySlug, t.path) }));
}

export function faqCategoryView(data: CategoryData) {
  const c = data.community;
  const category = data.category;
  return {
    community: communityView(c),
    category: { id: category.id, name: category.name, url: faqCategoryUrl(c.slug, category.path), count: category.entryCount, depth: category.depth },
    // Ancestors only: the current category is the page heading, not a link.
    trail: trailView(c.slug, data.trail.slice(0, -1)),
    children: treeView(c.slug, data.children),
    entries: data.entries.map((e) => entryRow(c.slug, e, undefined)),
    ...pageLinks(c, data.canModerate),
  };
}

export function faqEntryView(data: EntryData, locale: Locale, options: { voted: boolean }) {
  const c = data.community;
  const e = data.entry;
  const sq = data.sourceQuestion && data.sourceQuestion.deletedAt === null ? data.sourceQuestion : null;
  // The source answer may sit on any page of a long thread; its permalink finds the page.
  const source = sq ? { title: sq.title, url: e.sourceAnswerId ? answerPermalink(c.slug, sq, e.sourceAnswerId) : questionUrl(c.slug, sq) } : null;
  return {
    community: communityView(c),
    entry: {
      id: e.id,
      title: e.title,
      bodyHtml: e.bodyHtml,
      url: faqEntryUrl(c.slug, e),
      archived: e.status !== 'published',
      pinned: e.pinned,
      updatedAt: timeView(e.updatedAt, locale),
    },
    trail: trailView(c.slug, data.trail),
    source,
    related: data.related.filter((r) => r.id !== e.id).map((r) => ({ title: r.title, url: faqEntryUrl(c.slug, r) })),
    helpful: {
      action: faqHelpfulUrl(c.slug, e.id),
      // Archived entries take no votes; moderators still see the page.
      open: e.status === 'published',
      voted: options.voted,
      yes: e.helpfulYes,
      no: e.helpfulNo,
    },
    ...pageLinks(c, data.canModerate),
  };
}

/** The entry's POST target: /c/<community>/faq/e/<id>/helpful. */
export function faqHelpfulUrl(communitySlug: string, entryId: string): string {
  return `/c/${communitySlug}/faq/e/${entryId}/helpful`;
}

/** Serialises structured data for a <script type="application/ld+json"> that user text cannot close. */
function safeJsonLd(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/**
 * schema.org FAQPage (the entry as a Question with its acceptedAnswer) and the
 * BreadcrumbList (community, FAQ, categories, entry), in one @graph.
 */
export function faqEntryJsonLd(data: EntryData, baseUrl: string, faqLabel = 'FAQ'): string {
  const c = data.community;
  const e = data.entry;
  const url = baseUrl + faqEntryUrl(c.slug, e);
  const crumbs: Array<{ name: string; url: string }> = [
    { name: c.name, url: `${baseUrl}/c/${c.slug}` },
    { name: faqLabel, url: baseUrl + faqHomeUrl(c.slug) },
    ...data.trail.map((t) => ({ name: t.name, url: baseUrl + faqCategoryUrl(c.slug, t.path) })),
    { name: e.title, url },
  ];
  return safeJsonLd({
    '@context': 'https://schema.org',
    '@graph': [
      {
        '@type': 'FAQPage',
        '@id': `${url}#faq`,
        url,
        name: e.title,
        dateModified: new Date(e.updatedAt).toISOString(),
        mainEntity: [
          {
            '@type': 'Question',
            name: e.title,
            acceptedAnswer: { '@type': 'Answer', text: excerpt(e.bodyText, 5000), url, ...(e.helpfulYes > 0 ? { upvoteCount: e.helpfulYes } : {}) },
          },
        ],
      },
      {
        '@type': 'BreadcrumbList',
        '@id': `${url}#breadcrumbs`,
        itemListElement: crumbs.map((crumb, i) => ({ '@type': 'ListItem', position: i + 1, name: crumb.name, item: crumb.url })),
      },
    ],
  });
}
