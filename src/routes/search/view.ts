import type { Locale } from '../../domain/types.js';
import type { Translate } from '../../i18n/index.js';
import type { SearchReport } from '../../db/ports.js';
import type { HitView, SearchOutcome, SimilarItem } from '../../services/search/search-service.js';
import type { StaffBadge } from '../../services/support/staff-directory.js';

/* Plain view models for the search templates: every URL and label is computed here. */

type LinkParams = Partial<Record<'q' | 'community' | 'kind' | 'tag' | 'answered' | 'accepted' | 'sort' | 'page' | 'sid', string | null>>;

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** Formatted dates by locale, then by UTC day: hits of a page share few days, popular results repeat (bounded). */
const formattedDays = new Map<string, Map<number, string>>();
function formatDate(at: number, locale: Locale): string {
  let days = formattedDays.get(locale);
  if (days === undefined) formattedDays.set(locale, (days = new Map()));
  const day = Math.floor(at / 86_400_000);
  let text = days.get(day);
  if (text !== undefined) return text;
  let f = dateFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
    dateFormats.set(locale, f);
  }
  text = f.format(at);
  if (days.size >= 20_000) days.clear();
  days.set(day, text);
  return text;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function formatNumber(n: number, locale: Locale): string {
  let f = numberFormats.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale);
    numberFormats.set(locale, f);
  }
  return f.format(n);
}

const LINK_KEYS = ['q', 'community', 'kind', 'tag', 'answered', 'accepted', 'sort', 'page', 'sid'] as const;

/** Form encoding, as URLSearchParams does it (spaces as +), without building an object per link. */
function formEncode(value: string): string {
  const e = encodeURIComponent(value);
  return e.includes('%20') ? e.replace(/%20/g, '+') : e;
}

/** Tags, encoded: every result page links a dozen or more, and the same tags come back on page after page (bounded). */
const encodedTags = new Map<string, string>();
function formEncodeTag(tag: string): string {
  let e = encodedTags.get(tag);
  if (e === undefined) {
    e = formEncode(tag);
    if (encodedTags.size >= 20_000) encodedTags.clear();
    encodedTags.set(tag, e);
  }
  return e;
}

/**
 * What a hit's entry takes from the hit alone: its link target encoded for the click link,
 * its date as an ISO string, its community's link. A repeated search lists the same hit
 * list again (the engine's result cache, the search service's hit views), so these are made
 * once per list (one weak map entry per list, not per hit: most searches are not repeated).
 */
interface HitParts {
  to: string;
  iso: string;
  community: { name: string; url: string } | null;
}
const hitParts = new WeakMap<readonly HitView[], HitParts[]>();
function partsOf(hits: readonly HitView[]): HitParts[] {
  let parts = hitParts.get(hits);
  if (parts === undefined) {
    parts = hits.map((h) => ({
      to: formEncode(h.url),
      iso: new Date(h.createdAt).toISOString(),
      community: h.community ? { name: h.community.name, url: `/c/${h.community.slug}` } : null,
    }));
    hitParts.set(hits, parts);
  }
  return parts;
}

/**
 * Builds /search?… from the current state with some values changed (null removes one). A
 * result page has about 150 links (tags, facets, sorts, pages): the current values are
 * encoded once, only the changed ones per link.
 */
function linkBuilder(current: LinkParams) {
  const encoded: Partial<Record<(typeof LINK_KEYS)[number], string>> = {};
  for (const key of LINK_KEYS) {
    const v = key === 'page' || key === 'sid' ? null : current[key];
    if (v !== null && v !== undefined && v !== '') encoded[key] = formEncode(v);
  }
  return (changes: LinkParams = {}) => {
    let qs = '';
    for (const key of LINK_KEYS) {
      let e: string | undefined;
      if (key in changes) {
        const v = changes[key];
        e = v !== null && v !== undefined && v !== '' ? (key === 'tag' ? formEncodeTag(v) : formEncode(v)) : undefined;
      } else e = encoded[key];
      if (e !== undefined) qs += `${qs ? '&' : ''}${key}=${e}`;
    }
    return `/search?${qs}`;
  };
}

/**
 * The first n entries by count, highest first, ties in the given order: what a stable sort
 * then slice(0, n) gives, without sorting every tag of a broad search (hundreds) per page.
 */
export function topByCount<T extends { count: number }>(items: Iterable<T>, n: number): T[] {
  const top: T[] = [];
  for (const item of items) pushTop(top, item, n);
  return top;
}

/** Adds an item to a list kept as topByCount() would return it. */
function pushTop<T extends { count: number }>(top: T[], item: T, n: number): void {
  if (top.length === n && top[n - 1]!.count >= item.count) return;
  // After every entry with the same count or more: earlier entries win ties.
  let at = top.length;
  while (at > 0 && top[at - 1]!.count < item.count) at--;
  top.splice(at, 0, item);
  if (top.length > n) top.pop();
}

/**
 * The n keys with the highest counts, as topByCount() orders them. A plain loop over the
 * distribution (hundreds of tags in a broad search): an entry object only for a key that
 * gets into the list.
 */
function topOf(dist: Record<string, number> | undefined, n: number, keep: (key: string) => boolean = () => true): Array<{ key: string; count: number }> {
  const list: Array<{ key: string; count: number }> = [];
  for (const key in dist) {
    const count = dist[key]!;
    if (list.length === n && list[n - 1]!.count >= count) continue;
    if (keep(key)) pushTop(list, { key, count }, n);
  }
  return list;
}

/** The tag facet's entries by distribution: a repeated search brings the same (never changed) distribution object back from the engine's result cache. */
const topTagsOf = new WeakMap<Record<string, number>, Array<{ key: string; count: number }>>();
function topTags(dist: Record<string, number> | undefined): Array<{ key: string; count: number }> {
  if (dist === undefined) return [];
  let top = topTagsOf.get(dist);
  if (top === undefined) topTagsOf.set(dist, (top = topOf(dist, 12)));
  return top;
}

const yesNo = (v: boolean | null) => (v === null ? null : v ? 'yes' : 'no');

export function searchPageView(o: SearchOutcome, t: Translate, locale: Locale, staffOf: (communityId: string, userId: string) => StaffBadge | null = () => null) {
  const p = o.params;
  const current: LinkParams = {
    q: p.q,
    community: p.community?.slug ?? null,
    kind: p.kind,
    tag: p.tag,
    answered: yesNo(p.answered),
    accepted: yesNo(p.accepted),
    sort: p.sort === 'relevance' ? null : p.sort,
  };
  const link = linkBuilder(current);
  const offset = (p.page - 1) * 20;

  // The same labels and tag links repeat across the 20 hits: each is made once per page
  // (counted labels by message, then by count: no key string built per hit).
  const kindLabels = { question: t('search.kind.question'), answer: t('search.kind.answer'), faq: t('search.kind.faq') };
  const counted = new Map<string, Map<number, string>>();
  const label = (key: string, count: number) => {
    let byCount = counted.get(key);
    if (byCount === undefined) counted.set(key, (byCount = new Map()));
    let text = byCount.get(count);
    if (text === undefined) byCount.set(count, (text = t(key, { count })));
    return text;
  };
  const tagLinks = new Map<string, string>();
  const tagLink = (tag: string) => {
    let url = tagLinks.get(tag);
    if (url === undefined) tagLinks.set(tag, (url = link({ tag })));
    return url;
  };
  const sid = o.searchId ? `&sid=${o.searchId}` : '';
  const allParts = partsOf(o.hits);
  const hits = o.hits.map((h, i) => {
    const parts = allParts[i]!;
    const clickUrl = `/search/click?d=${h.docId}&pos=${offset + i + 1}&to=${parts.to}${sid}`;
    const tags: Array<{ name: string; url: string }> = [];
    for (let k = 0; k < h.tags.length && k < 5; k++) tags.push({ name: h.tags[k]!, url: tagLink(h.tags[k]!) });
    return {
      kind: h.kind,
      kindLabel: kindLabels[h.kind],
      titleHtml: h.titleHtml,
      url: h.url,
      clickUrl,
      snippetHtml: h.snippetHtml,
      community: parts.community,
      tags,
      score: h.score,
      votesText:
        h.kind === 'faq'
          ? label(h.score === 1 ? 'search.meta.helpful.one' : 'search.meta.helpful', h.score)
          : label(Math.abs(h.score) === 1 ? 'search.meta.votes.one' : 'search.meta.votes', h.score),
      answersText: label(h.answerCount === 1 ? 'search.meta.answers.one' : 'search.meta.answers', h.answerCount),
      answerCount: h.answerCount,
      accepted: h.accepted,
      date: { iso: parts.iso, text: formatDate(h.createdAt, locale) },
      faqPath: h.faqPath ?? [],
      // One result stands for its thread: say when the words were found in an answer.
      matchedIn: h.kind === 'answer' && h.answerAuthor ? t('search.meta.matchedInAnswer', { name: h.answerAuthor }) : null,
      // A staff answer carries the company's badge here as on the thread (issue 12).
      staff: h.kind === 'answer' && h.answerAuthorId ? staffOf(h.communityId, h.answerAuthorId) : null,
      explain: h.explain ? Object.entries(h.explain).map(([name, value]) => ({ name, value: Number.isInteger(value) ? String(value) : value.toFixed(3) })) : null,
    };
  });

  const communityFacet = topOf(o.facets.community, 12, (id) => o.communities.has(id)).map(({ key, count }) => {
    const c = o.communities.get(key)!;
    return { label: c.name, count, url: link({ community: c.slug }), selected: p.community?.id === c.id };
  });
  const kindFacet = (['question', 'answer', 'faq'] as const)
    .map((k) => ({ label: t(`search.kind.${k}.plural`), count: o.facets.kind?.[k] ?? 0, url: link({ kind: k }), selected: p.kind === k }))
    .filter((x) => x.count > 0 || x.selected);
  const tagFacet = topTags(o.facets.tag).map(({ key: tag, count }) => ({ label: tag, count, url: link({ tag }), selected: p.tag === tag }));

  // Active filters, each with a link that removes it.
  const active: Array<{ label: string; removeUrl: string; community?: boolean }> = [];
  if (p.community) active.push({ label: t('search.filter.inCommunity', { name: p.community.name }), removeUrl: link({ community: null }), community: true });
  if (p.kind) active.push({ label: t(`search.kind.${p.kind}.plural`), removeUrl: link({ kind: null }) });
  if (p.tag) active.push({ label: t('search.filter.tag', { tag: p.tag }), removeUrl: link({ tag: null }) });
  if (p.answered !== null) active.push({ label: t(p.answered ? 'search.filter.answered' : 'search.filter.unanswered'), removeUrl: link({ answered: null }) });
  if (p.accepted !== null) active.push({ label: t(p.accepted ? 'search.filter.accepted' : 'search.filter.notAccepted'), removeUrl: link({ accepted: null }) });

  const pageLink = (n: number) => link({ page: n > 1 ? String(n) : null, sid: n > 1 ? o.searchId : null });
  const pages: Array<{ n: number; url: string; current: boolean }> = [];
  const from = Math.max(1, p.page - 3);
  const to = Math.min(o.totalPages, p.page + 3);
  for (let n = from; n <= to; n++) pages.push({ n, url: pageLink(n), current: n === p.page });

  const askTitle = encodeURIComponent(p.q.slice(0, 150));
  const askLinks = p.community
    ? [{ name: p.community.name, url: `/c/${p.community.slug}/ask?title=${askTitle}` }]
    : [...o.communities.values()].slice(0, 8).map((c) => ({ name: c.name, url: `/c/${c.slug}/ask?title=${askTitle}` }));

  return {
    q: p.q,
    searched: o.searched,
    total: o.total,
    totalText: t(!o.exhaustive ? 'search.results.about' : o.total === 1 ? 'search.results.one' : 'search.results.many', { count: formatNumber(o.total, locale) }),
    scopeName: p.community?.name ?? null,
    hits,
    form: {
      community: p.community?.slug ?? '',
      kind: p.kind ?? '',
      answered: yesNo(p.answered) ?? '',
      sort: p.sort,
      tag: p.tag ?? '',
      accepted: yesNo(p.accepted) ?? '',
      communities: [...o.communities.values()].map((c) => ({ slug: c.slug, name: c.name })),
    },
    sorts: (['relevance', 'newest', 'score'] as const).map((s) => ({ label: t(`search.sort.${s}`), url: link({ sort: s === 'relevance' ? null : s }), current: s === p.sort })),
    facets: {
      community: communityFacet,
      kind: kindFacet,
      tag: tagFacet,
      status: [
        { label: t('search.filter.answered'), url: link({ answered: 'yes' }), selected: p.answered === true },
        { label: t('search.filter.unanswered'), url: link({ answered: 'no' }), selected: p.answered === false },
        { label: t('search.filter.accepted'), url: link({ accepted: 'yes' }), selected: p.accepted === true },
      ],
    },
    active,
    clearAllUrl: link({ community: null, kind: null, tag: null, answered: null, accepted: null }),
    ignoredFilters: p.ignored.length > 0,
    ignoredWords: o.ignoredWords,
    ignoredWordsText: o.ignoredWords.join(locale === 'zh-CN' ? '、' : ', '),
    pagination: {
      page: p.page,
      totalPages: o.totalPages,
      pages,
      prevUrl: p.page > 1 && p.page <= o.totalPages + 1 ? pageLink(p.page - 1) : null,
      nextUrl: p.page < o.totalPages ? pageLink(p.page + 1) : null,
      firstUrl: pageLink(1),
    },
    beyondLastPage: o.searched && o.total > 0 && o.hits.length === 0,
    noResults: {
      manyWords: o.wordCount > 1,
      // The community filter is covered by the list of other communities with results.
      otherFilters: active.filter((f) => !f.community),
      elsewhere: o.elsewhere.map((e) => ({ name: e.community.name, count: e.count, url: link({ community: e.community.slug }) })),
      askLinks,
      scoped: Boolean(p.community),
    },
  };
}

/** Likely duplicates for the ask form; `staff`: the questions with an answer by the community's staff. */
export function similarView(items: SimilarItem[], staff: ReadonlyMap<string, StaffBadge> = new Map()) {
  return items.map((s) => ({
    kind: s.kind, title: s.title, url: s.url, score: s.score, answerCount: s.answerCount, accepted: s.accepted, answered: s.answered,
    staff: s.kind === 'question' && s.questionId ? (staff.get(s.questionId) ?? null) : null,
  }));
}

export const REPORT_PERIODS = [7, 30, 90] as const;

export function reportView(report: SearchReport, slug: string, days: number, t: Translate) {
  const pct = (n: number) => (report.searches === 0 ? '0%' : `${Math.round((100 * n) / report.searches)}%`);
  const rows = (list: SearchReport['top']) =>
    list.map((r) => ({ ...r, searchUrl: `/search?${new URLSearchParams({ q: r.query, community: slug }).toString()}` }));
  return {
    days,
    periods: REPORT_PERIODS.map((d) => ({ days: d, label: t('search.report.days', { days: d }), url: `/mod/c/${slug}/search-report?days=${d}`, current: d === days })),
    totals: {
      searches: report.searches,
      noResults: report.noResultSearches,
      noResultsPct: pct(report.noResultSearches),
      clicked: report.clickedSearches,
      clickedPct: pct(report.clickedSearches),
    },
    top: rows(report.top),
    noResults: rows(report.noResults),
    noClicks: rows(report.noClicks),
  };
}
