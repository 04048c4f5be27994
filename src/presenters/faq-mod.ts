import { FAQ_MAX_DEPTH, type FaqCategory, type FaqEntry, type FaqEntryRevision } from '../domain/faq-types.js';
import type { Community, Locale, User } from '../domain/types.js';
import { excerpt } from '../markdown/render.js';
import type { FaqGapReport, FaqGapRow } from '../services/faq/faq-gaps.js';
import { GAP_PERIODS } from '../services/faq/faq-gaps.js';
import { CANDIDATE_READ_LIMIT, faqCategoryUrl, faqEntryUrl, type FaqService, type RankedCandidate } from '../services/faq/faq-service.js';
import { AUTO_PUBLISH_BATCH } from '../services/faq/auto-publish.js';
import { TOP_LEVEL_TARGET } from '../services/faq/category-deletion.js';
import { diffText, type DiffPart } from '../services/qa/revision-diff.js';
import { authorView } from './questions.js';
import { addSynonymUrl, SYNONYMS_URL } from './synonyms.js';
import { timeView } from './time.js';

/*
 * View models for the moderators' FAQ pages (/mod/c/:community/faq...). Templates get plain
 * objects with ready URLs and labels; forms get their values and messages back unchanged.
 */

type OverviewData = Awaited<ReturnType<FaqService['moderatorOverview']>>;
type CandidatesData = Awaited<ReturnType<FaqService['candidates']>>;
type RevisionsData = Awaited<ReturnType<FaqService['entryRevisions']>>;
type PlanData = Awaited<ReturnType<FaqService['deletionPlan']>>;

export const CRUMB_SEPARATOR = ' › ';
export const ENTRIES_PER_PAGE = 50;
export const ENTRY_FILTERS = ['all', 'review', 'pinned', 'archived'] as const;
export type EntryFilter = (typeof ENTRY_FILTERS)[number];

/* ---------- URLs ---------- */

export function modFaqUrl(communitySlug: string): string {
  return `/mod/c/${communitySlug}/faq`;
}

export function modUrls(communitySlug: string) {
  const base = modFaqUrl(communitySlug);
  return {
    base,
    publicFaq: `/c/${communitySlug}/faq`,
    community: `/c/${communitySlug}`,
    candidates: `${base}/candidates`,
    newEntry: `${base}/entries/new`,
    gaps: `${base}/gaps`,
    settings: `${base}/settings`,
    createCategory: `${base}/categories`,
  };
}

export function categoryActionUrl(communitySlug: string, categoryId: string, action: 'rename' | 'move' | 'reorder' | 'delete'): string {
  return `${modFaqUrl(communitySlug)}/categories/${categoryId}/${action}`;
}

/** The page of one category: reorder, rename, move, and the way to delete it. */
export function categoryPageUrl(communitySlug: string, categoryId: string): string {
  return `${modFaqUrl(communitySlug)}/categories/${categoryId}`;
}

export function entryActionUrl(communitySlug: string, entryId: string, action: 'edit' | 'state' | 'revisions'): string {
  return `${modFaqUrl(communitySlug)}/entries/${entryId}/${action}`;
}

export function candidateUrl(communitySlug: string, answerId: string, action: 'promote' | 'dismiss'): string {
  return `${modFaqUrl(communitySlug)}/candidates/${answerId}/${action}`;
}

/**
 * The source answer in its thread. The question route adds the canonical slug (301) and, for
 * ?a=, redirects to the page of the thread that holds the answer now, at its anchor.
 */
export function sourceAnswerUrl(communitySlug: string, questionId: string, answerId: string | null): string {
  return `/c/${communitySlug}/q/${questionId}${answerId ? `?a=${encodeURIComponent(answerId)}` : ''}`;
}

function communityView(c: Community) {
  return { slug: c.slug, name: c.name, ...modUrls(c.slug) };
}

/* ---------- the category tree, flattened in reading order ---------- */

export interface FlatCategory {
  id: string;
  parentId: string | null;
  name: string;
  depth: number;
  /** Names from the top level down to this category, e.g. "Battery › Battery life". */
  label: string;
  slugPath: string[];
  /** Levels below it (0 for a leaf). */
  height: number;
  /** Its own id and every descendant's. */
  subtree: Set<string>;
  firstSibling: boolean;
  lastSibling: boolean;
}

/** Depth-first in sibling order, the way the tree reads from top to bottom. */
export function flattenCategories(categories: FaqCategory[]): FlatCategory[] {
  const children = new Map<string | null, FaqCategory[]>();
  const known = new Set(categories.map((c) => c.id));
  for (const c of categories) {
    const key = c.parentId !== null && known.has(c.parentId) ? c.parentId : null;
    const list = children.get(key) ?? [];
    list.push(c);
    children.set(key, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.position - b.position || Number(a.id) - Number(b.id));
  const out: FlatCategory[] = [];
  const walk = (parentId: string | null, names: string[], slugs: string[]): FlatCategory[] => {
    const list = children.get(parentId) ?? [];
    const made: FlatCategory[] = [];
    list.forEach((c, i) => {
      const node: FlatCategory = {
        id: c.id,
        parentId: c.parentId,
        name: c.name,
        depth: c.depth,
        label: [...names, c.name].join(CRUMB_SEPARATOR),
        slugPath: [...slugs, c.slug],
        height: 0,
        subtree: new Set([c.id]),
        firstSibling: i === 0,
        lastSibling: i === list.length - 1,
      };
      out.push(node);
      made.push(node);
      // Guard against a corrupt cycle in stored data: never walk deeper than the limit allows.
      const below = names.length + 1 < FAQ_MAX_DEPTH + 1 ? walk(c.id, [...names, c.name], [...slugs, c.slug]) : [];
      for (const child of below) {
        for (const id of child.subtree) node.subtree.add(id);
        node.height = Math.max(node.height, child.height + 1);
      }
    });
    return made;
  };
  walk(null, [], []);
  return out;
}

export interface OptionView {
  value: string;
  label: string;
  depth: number;
  selected: boolean;
  disabled: boolean;
  note?: string;
}

/** Every category as a breadcrumb path (for choosing an entry's category). */
export function categoryOptions(flat: FlatCategory[], selected: string): OptionView[] {
  return flat.map((c) => ({ value: c.id, label: c.label, depth: c.depth, selected: c.id === selected, disabled: false }));
}

/** Where a new category can go: the top level, or any category above the deepest level. */
export function parentOptions(flat: FlatCategory[], selected: string, topLabel: string): OptionView[] {
  return [
    { value: '', label: topLabel, depth: 0, selected: selected === '', disabled: false },
    ...flat.filter((c) => c.depth < FAQ_MAX_DEPTH).map((c) => ({ value: c.id, label: c.label, depth: c.depth, selected: c.id === selected, disabled: false })),
  ];
}

/**
 * Where a category can move: its own subtree is left out (a cycle), and places where the
 * subtree would end deeper than four levels are shown but disabled, with the reason.
 */
export function moveOptions(flat: FlatCategory[], node: FlatCategory, selected: string, labels: { top: string; tooDeep: string }): OptionView[] {
  const options: OptionView[] = [{ value: '', label: labels.top, depth: 0, selected: selected === '', disabled: 1 + node.height > FAQ_MAX_DEPTH }];
  for (const c of flat) {
    if (node.subtree.has(c.id)) continue;
    const tooDeep = c.depth + 1 + node.height > FAQ_MAX_DEPTH;
    options.push({ value: c.id, label: c.label, depth: c.depth, selected: c.id === selected, disabled: tooDeep, note: tooDeep ? labels.tooDeep : undefined });
  }
  return options;
}

/* ---------- the dashboard ---------- */

export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

/** A failed form on the dashboard: which one, for which category, with what it said. */
export interface DashboardFormState extends FormState {
  form: 'create' | 'settings';
}

export function entryFilter(raw: string | undefined): EntryFilter {
  return (ENTRY_FILTERS as readonly string[]).includes(raw ?? '') ? (raw as EntryFilter) : 'all';
}

interface DashboardOptions {
  t: (key: string, params?: Record<string, string | number>) => string;
  locale: Locale;
  filter: EntryFilter;
  page: number;
  state: DashboardFormState | null;
  done: string | null;
  /** After saving auto-publish: how many existing answers it published, and whether more wait. */
  autoPublished: { count: number; more: boolean } | null;
}

function matchesFilter(e: FaqEntry, filter: EntryFilter): boolean {
  if (filter === 'review') return e.needsReview;
  if (filter === 'pinned') return e.pinned;
  if (filter === 'archived') return e.status === 'archived';
  return true;
}

export function entryRowView(slug: string, e: FaqEntry, flatById: Map<string, FlatCategory>, locale: Locale) {
  const category = flatById.get(e.categoryId);
  const archived = e.status === 'archived';
  return {
    id: e.id,
    title: e.title,
    url: faqEntryUrl(slug, e),
    category: category ? { label: category.label, url: faqCategoryUrl(slug, category.slugPath) } : null,
    pinned: e.pinned,
    archived,
    needsReview: e.needsReview,
    reviewReason: e.reviewReason,
    helpfulYes: e.helpfulYes,
    helpfulNo: e.helpfulNo,
    views: e.viewCount,
    revisionCount: e.revisionCount,
    updatedAt: timeView(e.updatedAt, locale),
    source: e.sourceQuestionId ? { url: sourceAnswerUrl(slug, e.sourceQuestionId, e.sourceAnswerId) } : null,
    editUrl: entryActionUrl(slug, e.id, 'edit'),
    revisionsUrl: entryActionUrl(slug, e.id, 'revisions'),
    stateUrl: entryActionUrl(slug, e.id, 'state'),
    actions: [e.pinned ? 'unpin' : 'pin', archived ? 'publish' : 'archive', ...(e.needsReview ? ['reviewed'] : [])],
  };
}

export function dashboardView(data: OverviewData, options: DashboardOptions) {
  const c = data.community;
  const { t, state } = options;
  const flat = flattenCategories(data.categories);
  const flatById = new Map(flat.map((f) => [f.id, f]));
  const countById = new Map<string, number>();
  const collectCounts = (nodes: OverviewData['tree']) => {
    for (const n of nodes) {
      countById.set(n.id, n.entryCount);
      collectCounts(n.children);
    }
  };
  collectCounts(data.tree);
  const labels = { top: t('faqmod.topLevel') };

  // One short row per category, its actions on its own page: the page stays linear in size.
  const nodes = flat.map((f) => ({
    id: f.id,
    name: f.name,
    depth: f.depth,
    count: countById.get(f.id) ?? 0,
    manageUrl: categoryPageUrl(c.slug, f.id),
  }));

  const all = data.entries;
  const counts = {
    all: all.length,
    review: all.filter((e) => e.needsReview).length,
    pinned: all.filter((e) => e.pinned).length,
    archived: all.filter((e) => e.status === 'archived').length,
  };
  const filtered = all.filter((e) => matchesFilter(e, options.filter));
  const pages = Math.max(1, Math.ceil(filtered.length / ENTRIES_PER_PAGE));
  const page = Math.min(options.page, pages);
  const base = modFaqUrl(c.slug);
  const listUrl = (filter: EntryFilter, p: number) => {
    const q = [filter !== 'all' ? `filter=${filter}` : '', p > 1 ? `page=${p}` : ''].filter(Boolean).join('&');
    return `${base}${q ? `?${q}` : ''}#entries`;
  };
  const rows = filtered.slice((page - 1) * ENTRIES_PER_PAGE, page * ENTRIES_PER_PAGE).map((e) => entryRowView(c.slug, e, flatById, options.locale));

  const createState = state && state.form === 'create' ? state : null;
  const settingsState = state && state.form === 'settings' ? state : null;
  const auto = data.autoPublish;
  const autoCategory = auto.categoryId ? flatById.get(auto.categoryId) : undefined;
  const errorMessages = state ? Object.values(state.errors) : [];

  return {
    community: communityView(c),
    done: options.done,
    autoPublished: options.autoPublished,
    errorMessages,
    candidateCount: data.candidateCount,
    candidatesComplete: data.candidatesComplete,
    promotionThreshold: c.promotionThreshold,
    nodes,
    create: {
      name: createState?.values.name ?? '',
      parents: parentOptions(flat, createState?.values.parentId ?? '', labels.top),
      errors: createState?.errors ?? {},
    },
    entries: {
      rows,
      counts,
      filter: options.filter,
      tabs: ENTRY_FILTERS.map((f) => ({ filter: f, url: listUrl(f, 1), current: f === options.filter, count: counts[f] })),
      page,
      pages,
      prevUrl: page > 1 ? listUrl(options.filter, page - 1) : null,
      nextUrl: page < pages ? listUrl(options.filter, page + 1) : null,
      // State buttons send the moderator back to the same tab and page.
      back: listUrl(options.filter, page).replace(/#entries$/, ''),
    },
    autoPublish: {
      enabled: auto.score !== null && autoCategory !== undefined,
      score: settingsState ? (settingsState.values.score ?? '') : auto.score === null ? '' : String(auto.score),
      categoryLabel: autoCategory?.label ?? null,
      batch: AUTO_PUBLISH_BATCH,
      categories: categoryOptions(flat, settingsState ? (settingsState.values.categoryId ?? '') : (auto.categoryId ?? '')),
      errors: settingsState?.errors ?? {},
    },
  };
}

/* ---------- one category: reorder, rename, move ---------- */

type CategoryData = Awaited<ReturnType<FaqService['moveChoices']>>;

/** A refused form on the category page: which one, with what was typed and what it said. */
export interface CategoryFormState extends FormState {
  form: 'rename' | 'move' | 'reorder';
}

/**
 * The page of one category, with its one "move under" picker. The dashboard links each row
 * here instead of repeating the whole tree as a <select> (and three forms) in every row,
 * which made the dashboard grow with the square of the number of categories (issue 10).
 */
export function categoryManageView(data: CategoryData, state: CategoryFormState | null, labels: { top: string; tooDeep: string }) {
  const c = data.community;
  const cat = data.category;
  const flat = flattenCategories(data.categories);
  const node = flat.find((f) => f.id === cat.id);
  const parent = cat.parentId ? flat.find((f) => f.id === cat.parentId) : undefined;
  const rename = state?.form === 'rename' ? state : null;
  const move = state?.form === 'move' ? state : null;
  return {
    community: communityView(c),
    category: { id: cat.id, name: cat.name, depth: cat.depth, label: node?.label ?? cat.name, place: parent?.label ?? labels.top, url: node ? faqCategoryUrl(c.slug, node.slugPath) : null },
    first: node?.firstSibling ?? true,
    last: node?.lastSibling ?? true,
    reorderUrl: categoryActionUrl(c.slug, cat.id, 'reorder'),
    renameUrl: categoryActionUrl(c.slug, cat.id, 'rename'),
    moveUrl: categoryActionUrl(c.slug, cat.id, 'move'),
    deleteUrl: categoryActionUrl(c.slug, cat.id, 'delete'),
    rename: { value: rename ? (rename.values.name ?? '') : cat.name, error: rename?.errors.name ?? null },
    move: { options: node ? moveOptions(flat, node, move ? (move.values.parentId ?? '') : (cat.parentId ?? ''), labels) : [], error: move?.errors.parentId ?? null },
    errorMessages: state ? Object.values(state.errors) : [],
  };
}

/* ---------- deleting a category ---------- */

export interface DeleteTargetOption {
  value: string;
  label: string;
  selected: boolean;
  /** Names of the subcategories whose address is taken there: the option is shown, but disabled. */
  clashes: string | null;
}

export function deletionView(data: PlanData, state: FormState | null, topLabel: string) {
  const c = data.community;
  const trail = (cat: FaqCategory) => data.trails.get(cat.id) ?? [cat];
  // Tree order: compare the sibling positions along each target's path from the top.
  const key = (cat: FaqCategory) => trail(cat).map((x) => [x.position, Number(x.id)] as const);
  const treeOrder = (a: FaqCategory, b: FaqCategory) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const d = ka[i]![0] - kb[i]![0] || ka[i]![1] - kb[i]![1];
      if (d !== 0) return d;
    }
    return ka.length - kb.length;
  };
  const selected = state?.values.targetId ?? '';
  const clashes = (names: string[]) => (names.length > 0 ? names.join(', ') : null);
  const targets: DeleteTargetOption[] = [...data.targets]
    .sort((a, b) => treeOrder(a.category, b.category))
    .map((tgt) => ({ value: tgt.category.id, label: trail(tgt.category).map((x) => x.name).join(CRUMB_SEPARATOR), selected: tgt.category.id === selected, clashes: clashes(tgt.clashes) }));
  if (data.topLevel) targets.unshift({ value: TOP_LEVEL_TARGET, label: topLabel, selected: selected === TOP_LEVEL_TARGET, clashes: clashes(data.topLevel.clashes) });
  return {
    community: communityView(c),
    category: { id: data.category.id, name: data.category.name, label: trail(data.category).map((x) => x.name).join(CRUMB_SEPARATOR), entryCount: data.entryCount, childCount: data.childCount },
    needsTarget: data.entryCount + data.childCount > 0,
    targets,
    anyTarget: targets.some((o) => o.clashes === null),
    action: categoryActionUrl(c.slug, data.category.id, 'delete'),
    errors: state?.errors ?? {},
  };
}

/* ---------- candidates ---------- */

export function candidateRowView(slug: string, cand: RankedCandidate, authors: Map<string, User>, dismiss: FormState | null) {
  return {
    answerId: cand.answerId,
    questionTitle: cand.questionTitle,
    questionUrl: sourceAnswerUrl(slug, cand.questionId, cand.answerId),
    excerpt: excerpt(cand.answerBodyText, 280),
    score: cand.score,
    upVotes: cand.upVotes,
    downVotes: cand.downVotes,
    accepted: cand.accepted,
    views: cand.questionViews,
    duplicates: cand.duplicateCount,
    evidence: cand.evidence.toFixed(1),
    author: authorView(authors.get(cand.answerAuthorId)),
    promoteUrl: candidateUrl(slug, cand.answerId, 'promote'),
    dismissUrl: candidateUrl(slug, cand.answerId, 'dismiss'),
    previousDismissal: cand.dismissal ? { reason: cand.dismissal.reason, score: cand.dismissal.scoreAtDismissal } : null,
    dismiss: { value: dismiss?.values.reason ?? '', error: dismiss?.errors.reason ?? null },
  };
}

export function candidatesView(data: CandidatesData, options: { failed: { answerId: string; state: FormState } | null; done: string | null }) {
  const c = data.community;
  return {
    community: communityView(c),
    threshold: c.promotionThreshold,
    total: data.total,
    complete: data.complete,
    readLimit: CANDIDATE_READ_LIMIT,
    done: options.done,
    errorMessages: options.failed ? Object.values(options.failed.state.errors) : [],
    candidates: data.candidates.map((cand) => candidateRowView(c.slug, cand, data.authors, options.failed && options.failed.answerId === cand.answerId ? options.failed.state : null)),
  };
}

/* ---------- entry forms (promote, write, edit) ---------- */

export interface EntryFormValues {
  title: string;
  body: string;
  categoryId: string;
  newCategoryName: string;
  newCategoryParentId: string;
  reason: string;
  related: string[];
}

export interface EntryFormOptions {
  mode: 'promote' | 'new' | 'edit';
  action: string;
  cancelUrl: string;
  values: EntryFormValues;
  errors: Record<string, string>;
  previewHtml: string | null;
  source: { questionTitle: string; url: string; score: number; upVotes: number; downVotes: number; accepted: boolean } | null;
  entry: { id: string; title: string; url: string; revisionsUrl: string; needsReview: boolean; reviewReason: string | null } | null;
  topLabel: string;
}

export function entryFormView(community: Community, categories: FaqCategory[], entries: FaqEntry[], selfId: string | null, o: EntryFormOptions) {
  const flat = flattenCategories(categories);
  const flatById = new Map(flat.map((f) => [f.id, f]));
  const chosen = new Set(o.values.related);
  const related = entries
    .filter((e) => e.id !== selfId)
    .map((e) => ({ id: e.id, title: e.title, category: flatById.get(e.categoryId)?.label ?? '', checked: chosen.has(e.id), archived: e.status === 'archived' }))
    // Already linked entries first, so that they are seen without scrolling.
    .sort((a, b) => Number(b.checked) - Number(a.checked) || a.category.localeCompare(b.category) || a.title.localeCompare(b.title));
  return {
    community: communityView(community),
    mode: o.mode,
    action: o.action,
    cancelUrl: o.cancelUrl,
    values: o.values,
    errors: o.errors,
    previewHtml: o.previewHtml,
    source: o.source,
    entry: o.entry,
    categories: categoryOptions(flat, o.values.categoryId),
    parents: parentOptions(flat, o.values.newCategoryParentId, o.topLabel),
    related,
    hasCategories: flat.length > 0,
  };
}

/* ---------- revisions ---------- */

export function revisionsView(data: RevisionsData, categories: FaqCategory[], locale: Locale) {
  const c = data.community;
  const flat = new Map(flattenCategories(categories).map((f) => [f.id, f.label]));
  const catLabel = (id: string) => flat.get(id) ?? '—';
  const views = data.revisions.map((rev: FaqEntryRevision, i: number) => {
    const prev = i > 0 ? data.revisions[i - 1]! : null;
    return {
      revision: rev.revision,
      author: authorView(data.authors.get(rev.authorId)),
      automatic: rev.revision === 1 && data.autoPublished,
      at: timeView(rev.createdAt, locale),
      reason: rev.reason,
      title: rev.title,
      titleDiff: prev && prev.title !== rev.title ? diffText(prev.title, rev.title) : null,
      category: prev && prev.categoryId !== rev.categoryId ? { from: catLabel(prev.categoryId), to: catLabel(rev.categoryId) } : null,
      firstCategory: prev ? null : catLabel(rev.categoryId),
      bodyDiff: prev ? diffText(prev.bodyMd, rev.bodyMd) : ([{ kind: 'same', text: rev.bodyMd }] as DiffPart[]),
      bodyChanged: prev ? prev.bodyMd !== rev.bodyMd : true,
    };
  });
  return {
    community: communityView(c),
    entry: { id: data.entry.id, title: data.entry.title, url: faqEntryUrl(c.slug, data.entry), editUrl: entryActionUrl(c.slug, data.entry.id, 'edit') },
    revisions: views.reverse(),
    // Newest first, like the revisions.
    events: data.events
      .map((e) => ({ actionKey: `faqmod.events.${e.action}`, author: authorView(data.authors.get(e.actorId)), at: timeView(e.createdAt, locale) }))
      .reverse(),
  };
}

/* ---------- the gaps report ---------- */

/**
 * `canAddSynonyms`: the reader is a site admin, who gets "Add a synonym" on the rows that
 * found nothing (synonyms are site-wide, so only admins manage them); moderators get a hint.
 */
export function gapsView(community: Community, report: FaqGapReport, options: { canAddSynonyms: boolean }) {
  const slug = community.slug;
  const base = modUrls(slug);
  const row = (r: FaqGapRow, found: boolean) => ({
    ...r,
    askUrl: `/c/${slug}/ask?title=${encodeURIComponent(r.query)}`,
    writeUrl: `${base.newEntry}?title=${encodeURIComponent(r.query)}`,
    searchUrl: `/search?q=${encodeURIComponent(r.query)}&community=${encodeURIComponent(slug)}`,
    synonymUrl: options.canAddSynonyms && !found ? addSynonymUrl(r.query) : null,
  });
  return {
    community: communityView(community),
    days: report.days,
    periods: GAP_PERIODS.map((d) => ({ days: d, url: `${base.gaps}?days=${d}`, current: d === report.days })),
    searches: report.searches,
    noResultSearches: report.noResultSearches,
    clickedSearches: report.clickedSearches,
    noResults: report.noResults.map((r) => row(r, false)),
    noClicks: report.noClicks.map((r) => row(r, true)),
    siteWideSearches: report.siteWide.searches,
    siteWide: report.siteWide.noResults.map((r) => row(r, false)),
    synonymHint: !options.canAddSynonyms && report.noResults.length > 0,
    suggestions: report.suggestions.map((r) => ({
      from: r.from,
      to: r.to,
      browsers: r.browsers,
      terms: r.terms,
      fromUrl: `/search?q=${encodeURIComponent(r.from)}&community=${encodeURIComponent(slug)}`,
      toUrl: `/search?q=${encodeURIComponent(r.to)}&community=${encodeURIComponent(slug)}`,
    })),
    // Synonyms are site-wide and managed by site admins: the accept button posts to their form.
    acceptUrl: options.canAddSynonyms ? SYNONYMS_URL : null,
  };
}
