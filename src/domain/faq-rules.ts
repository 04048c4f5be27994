import { FAQ_MAX_DEPTH, type FaqCandidateRow, type FaqCategory, type FaqEntry } from './faq-types.js';

/*
 * Pure FAQ rules (DESIGN.md section 7): the depth limit on create and move, candidate
 * selection, evidence ranking and entry ordering. Services and both storage backends use
 * these, so the rules hold wherever the data lives.
 */

export type DepthCheck = { ok: true; newDepth: number } | { ok: false; reason: 'too_deep' | 'cycle' | 'not_found' };

/** A new category under `parent` (null = top level). */
export function checkCreateDepth(parent: Pick<FaqCategory, 'depth'> | null): DepthCheck {
  const newDepth = parent ? parent.depth + 1 : 1;
  return newDepth <= FAQ_MAX_DEPTH ? { ok: true, newDepth } : { ok: false, reason: 'too_deep' };
}

/** Ids of `rootId` and all its descendants. */
export function subtreeIds(all: FaqCategory[], rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const c of all) {
    if (c.parentId === null) continue;
    const list = children.get(c.parentId) ?? [];
    list.push(c.id);
    children.set(c.parentId, list);
  }
  const out = new Set<string>();
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/** Levels below the category itself: 0 for a leaf, 2 for a category with grandchildren. */
export function subtreeHeight(all: FaqCategory[], rootId: string): number {
  const root = all.find((c) => c.id === rootId);
  if (!root) return 0;
  let deepest = root.depth;
  for (const id of subtreeIds(all, rootId)) {
    const c = all.find((x) => x.id === id);
    if (c && c.depth > deepest) deepest = c.depth;
  }
  return deepest - root.depth;
}

/**
 * Moving a category (with its whole subtree) under `newParentId` (null = top level): the
 * deepest moved node must stay at depth 4 or less, and a category cannot move into itself
 * or its own descendants.
 */
export function checkMoveDepth(all: FaqCategory[], categoryId: string, newParentId: string | null): DepthCheck {
  const category = all.find((c) => c.id === categoryId);
  if (!category) return { ok: false, reason: 'not_found' };
  let parentDepth = 0;
  if (newParentId !== null) {
    if (subtreeIds(all, categoryId).has(newParentId)) return { ok: false, reason: 'cycle' };
    const parent = all.find((c) => c.id === newParentId);
    if (!parent) return { ok: false, reason: 'not_found' };
    parentDepth = parent.depth;
  }
  const newDepth = parentDepth + 1;
  return newDepth + subtreeHeight(all, categoryId) <= FAQ_MAX_DEPTH ? { ok: true, newDepth } : { ok: false, reason: 'too_deep' };
}

export type DeleteTargetCheck = { ok: true } | { ok: false; reason: 'not_found' | 'inside' | 'too_deep' } | { ok: false; reason: 'clash'; names: string[] };

/**
 * Where the children of a deleted category can go (`targetId`, or null for the top level):
 * outside the deleted subtree, with room for its deepest level, and with no category there
 * whose slug a child already has. The deleted category still counts as one of them, because
 * storage moves the children before it removes the category.
 */
export function checkDeleteTarget(all: FaqCategory[], categoryId: string, targetId: string | null): DeleteTargetCheck {
  const category = all.find((c) => c.id === categoryId);
  if (!category) return { ok: false, reason: 'not_found' };
  let targetDepth = 0;
  if (targetId !== null) {
    if (subtreeIds(all, categoryId).has(targetId)) return { ok: false, reason: 'inside' };
    const target = all.find((c) => c.id === targetId);
    if (!target) return { ok: false, reason: 'not_found' };
    targetDepth = target.depth;
  }
  if (targetDepth + subtreeHeight(all, categoryId) > FAQ_MAX_DEPTH) return { ok: false, reason: 'too_deep' };
  const taken = new Set(all.filter((c) => c.parentId === targetId).map((c) => c.slug));
  const names = all.filter((c) => c.parentId === categoryId && taken.has(c.slug)).map((c) => c.name);
  return names.length > 0 ? { ok: false, reason: 'clash', names } : { ok: true };
}

/** Wilson score lower bound (95%): how good an answer is, given how few votes it may have. */
export function wilsonLowerBound(up: number, down: number, z = 1.96): number {
  const n = up + down;
  if (n === 0) return 0;
  const p = up / n;
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n)) / (1 + z2 / n);
}

/**
 * An answer is a candidate when its score reaches the community threshold, or it is
 * accepted with score >= 2. A dismissed answer returns only once its score has doubled.
 */
export function isCandidate(row: Pick<FaqCandidateRow, 'score' | 'accepted' | 'dismissal'>, threshold: number): boolean {
  const qualifies = row.score >= threshold || (row.accepted && row.score >= 2);
  if (!qualifies) return false;
  if (row.dismissal) return row.score >= Math.max(1, row.dismissal.scoreAtDismissal) * 2;
  return true;
}

/** Ranks candidates by evidence: vote quality first, then acceptance, views and duplicates. */
export function candidateEvidence(row: Pick<FaqCandidateRow, 'upVotes' | 'downVotes' | 'accepted' | 'questionViews' | 'duplicateCount'>): number {
  return (
    100 * wilsonLowerBound(row.upVotes, row.downVotes) +
    (row.accepted ? 15 : 0) +
    5 * Math.log10(1 + row.questionViews) +
    8 * Math.log2(1 + row.duplicateCount)
  );
}

/**
 * What one view, helpful vote, duplicate closed into the source question and search click add
 * to an entry's ask frequency. The stores keep the sum on the entry so the FAQ home reads it by
 * index: MongoDB increments it by these weights, SQLite generates it (migration 018, which
 * must change with them; the FAQ contract test compares both with askFrequency).
 */
export const ASK_FREQUENCY_WEIGHTS = { views: 1, helpfulYes: 5, duplicates: 20, searchClicks: 3 } as const;

/** How often an entry is asked for: views, helpful votes, duplicates and search clicks. */
export function askFrequency(e: Pick<FaqEntry, 'viewCount' | 'helpfulYes' | 'duplicateCount' | 'searchClicks'>): number {
  const w = ASK_FREQUENCY_WEIGHTS;
  return w.views * e.viewCount + w.helpfulYes * e.helpfulYes + w.duplicates * e.duplicateCount + w.searchClicks * e.searchClicks;
}

/** Pinned entries first (by pin position), then the most frequently asked, then newest. */
export function compareEntries(a: FaqEntry, b: FaqEntry): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  if (a.pinned && b.pinned && a.pinPosition !== b.pinPosition) return a.pinPosition - b.pinPosition;
  const diff = askFrequency(b) - askFrequency(a);
  if (diff !== 0) return diff;
  return b.createdAt - a.createdAt;
}

/** Category slugs must not collide with the entry path segment or be empty. */
export const RESERVED_CATEGORY_SLUGS = new Set(['e', 'search']);
