/*
 * The pure FAQ rules (DESIGN.md section 7): the four-level depth limit on create and on
 * move (whole subtrees), cycles, the candidate rule with dismissal and doubling, the Wilson
 * lower bound, evidence ranking and the order of entries.
 */
import { describe, expect, it } from 'vitest';
import {
  askFrequency,
  candidateEvidence,
  checkCreateDepth,
  checkDeleteTarget,
  checkMoveDepth,
  compareEntries,
  isCandidate,
  subtreeHeight,
  subtreeIds,
  wilsonLowerBound,
} from '../../src/domain/faq-rules.js';
import { FAQ_MAX_DEPTH, type FaqCategory, type FaqEntry } from '../../src/domain/faq-types.js';
import { flattenCategories, moveOptions } from '../../src/presenters/faq-mod.js';

let nextId = 1;
function cat(name: string, parent: FaqCategory | null, position = 0): FaqCategory {
  const id = String(nextId++);
  return { id, communityId: '1', parentId: parent?.id ?? null, name, slug: name.toLowerCase(), position, depth: parent ? parent.depth + 1 : 1, createdAt: 0, updatedAt: 0 };
}

/**
 *   A (1) ─ B (2) ─ C (3) ─ D (4)
 *   G (1) ─ H (2) ─ I (3)          G carries a two-level subtree
 *   L (1)
 */
function forest() {
  const a = cat('A', null, 0);
  const b = cat('B', a);
  const c = cat('C', b);
  const d = cat('D', c);
  const g = cat('G', null, 1);
  const h = cat('H', g);
  const i = cat('I', h);
  const l = cat('L', null, 2);
  return { all: [a, b, c, d, g, h, i, l], a, b, c, d, g, h, i, l };
}

describe('depth on create', () => {
  it('allows levels 1 to 4 and refuses a fifth', () => {
    expect(FAQ_MAX_DEPTH).toBe(4);
    expect(checkCreateDepth(null)).toEqual({ ok: true, newDepth: 1 });
    expect(checkCreateDepth({ depth: 3 })).toEqual({ ok: true, newDepth: 4 });
    expect(checkCreateDepth({ depth: 4 })).toEqual({ ok: false, reason: 'too_deep' });
  });
});

describe('subtrees', () => {
  it('collects a category and all its descendants, and measures the levels below it', () => {
    const f = forest();
    expect([...subtreeIds(f.all, f.a.id)].sort()).toEqual([f.a.id, f.b.id, f.c.id, f.d.id].sort());
    expect([...subtreeIds(f.all, f.l.id)]).toEqual([f.l.id]);
    expect(subtreeHeight(f.all, f.a.id)).toBe(3);
    expect(subtreeHeight(f.all, f.g.id)).toBe(2);
    expect(subtreeHeight(f.all, f.d.id)).toBe(0);
    expect(subtreeHeight(f.all, 'nope')).toBe(0);
  });
});

describe('depth on move', () => {
  it('refuses moving a two-level subtree under a level-3 category (it would reach level 6)', () => {
    const f = forest();
    expect(checkMoveDepth(f.all, f.g.id, f.c.id)).toEqual({ ok: false, reason: 'too_deep' });
  });

  it('checks the deepest moved node, not only the moved category', () => {
    const f = forest();
    // G's subtree ends two levels below it: under a level-2 category it would end at 5.
    expect(checkMoveDepth(f.all, f.g.id, f.b.id)).toEqual({ ok: false, reason: 'too_deep' });
    // Under a level-1 category it ends exactly at 4.
    expect(checkMoveDepth(f.all, f.g.id, f.a.id)).toEqual({ ok: true, newDepth: 2 });
    // A leaf fits under a level-3 category, not under a level-4 one.
    expect(checkMoveDepth(f.all, f.l.id, f.c.id)).toEqual({ ok: true, newDepth: 4 });
    expect(checkMoveDepth(f.all, f.l.id, f.d.id)).toEqual({ ok: false, reason: 'too_deep' });
  });

  it('allows moving any subtree to the top level (it keeps its own height)', () => {
    const f = forest();
    expect(checkMoveDepth(f.all, f.b.id, null)).toEqual({ ok: true, newDepth: 1 });
    expect(checkMoveDepth(f.all, f.a.id, null)).toEqual({ ok: true, newDepth: 1 });
  });

  it('refuses cycles: into itself or any of its descendants', () => {
    const f = forest();
    expect(checkMoveDepth(f.all, f.a.id, f.a.id)).toEqual({ ok: false, reason: 'cycle' });
    expect(checkMoveDepth(f.all, f.a.id, f.b.id)).toEqual({ ok: false, reason: 'cycle' });
    expect(checkMoveDepth(f.all, f.a.id, f.d.id)).toEqual({ ok: false, reason: 'cycle' });
    expect(checkMoveDepth(f.all, f.g.id, f.i.id)).toEqual({ ok: false, reason: 'cycle' });
  });

  it('reports unknown categories', () => {
    const f = forest();
    expect(checkMoveDepth(f.all, 'missing', null)).toEqual({ ok: false, reason: 'not_found' });
    expect(checkMoveDepth(f.all, f.l.id, 'missing')).toEqual({ ok: false, reason: 'not_found' });
  });

  it('the moderators’ move list agrees with the rule for every pair', () => {
    const f = forest();
    const flat = flattenCategories(f.all);
    for (const node of flat) {
      const options = moveOptions(flat, node, '', { top: 'top', tooDeep: 'too deep' });
      for (const target of f.all) {
        const check = checkMoveDepth(f.all, node.id, target.id);
        const option = options.find((o) => o.value === target.id);
        if (!check.ok && check.reason === 'cycle') expect(option, `${node.name} -> ${target.name}`).toBeUndefined();
        else expect(option!.disabled, `${node.name} -> ${target.name}`).toBe(!check.ok);
      }
    }
  });
});

describe('where a deleted category’s contents can go', () => {
  it('refuses the deleted subtree itself, and targets without room for its deepest level', () => {
    const f = forest();
    // G has two levels below it: its children (H > I) need a target at level 2 or higher.
    expect(checkDeleteTarget(f.all, f.g.id, f.g.id)).toEqual({ ok: false, reason: 'inside' });
    expect(checkDeleteTarget(f.all, f.g.id, f.i.id)).toEqual({ ok: false, reason: 'inside' });
    expect(checkDeleteTarget(f.all, f.g.id, f.b.id)).toEqual({ ok: true });
    expect(checkDeleteTarget(f.all, f.g.id, f.c.id)).toEqual({ ok: false, reason: 'too_deep' });
    // A leaf's entries fit even under the last level.
    expect(checkDeleteTarget(f.all, f.l.id, f.d.id)).toEqual({ ok: true });
    expect(checkDeleteTarget(f.all, 'missing', null)).toEqual({ ok: false, reason: 'not_found' });
    expect(checkDeleteTarget(f.all, f.g.id, 'missing')).toEqual({ ok: false, reason: 'not_found' });
  });

  it('names the children whose slug is already taken at the target, the deleted category included', () => {
    const f = forest();
    const sameAsChild = cat('H', f.l);
    const all = [...f.all, sameAsChild];
    expect(checkDeleteTarget(all, f.g.id, f.l.id)).toEqual({ ok: false, reason: 'clash', names: ['H'] });
    // To the top level: G is still there while its children move.
    const gAgain = cat('G', f.g);
    expect(checkDeleteTarget([...all, gAgain], f.g.id, null)).toEqual({ ok: false, reason: 'clash', names: ['G'] });
    expect(checkDeleteTarget(all, f.g.id, null)).toEqual({ ok: true });
    // Into its own parent: its sibling slugs and its own count.
    const bAgain = cat('B', f.b);
    expect(checkDeleteTarget([...f.all, bAgain], f.b.id, f.a.id)).toEqual({ ok: false, reason: 'clash', names: ['B'] });
  });
});

describe('the category list as moderators read it', () => {
  it('is in tree order with breadcrumb labels, sibling positions respected', () => {
    const f = forest();
    const flat = flattenCategories([...f.all].reverse());
    expect(flat.map((c) => c.label)).toEqual(['A', 'A › B', 'A › B › C', 'A › B › C › D', 'G', 'G › H', 'G › H › I', 'L']);
    expect(flat.find((c) => c.id === f.g.id)).toMatchObject({ height: 2, firstSibling: false, lastSibling: false });
    expect(flat.find((c) => c.id === f.a.id)!.firstSibling).toBe(true);
    expect(flat.find((c) => c.id === f.l.id)!.lastSibling).toBe(true);
  });
});

describe('the candidate rule', () => {
  const threshold = 5;
  it('takes answers at the community threshold, or accepted with score 2', () => {
    expect(isCandidate({ score: 5, accepted: false, dismissal: null }, threshold)).toBe(true);
    expect(isCandidate({ score: 4, accepted: false, dismissal: null }, threshold)).toBe(false);
    expect(isCandidate({ score: 2, accepted: true, dismissal: null }, threshold)).toBe(true);
    expect(isCandidate({ score: 1, accepted: true, dismissal: null }, threshold)).toBe(false);
    expect(isCandidate({ score: 3, accepted: false, dismissal: null }, 3)).toBe(true);
  });

  it('keeps a dismissed answer out until its score has doubled', () => {
    const dismissal = { scoreAtDismissal: 6, reason: 'too narrow' };
    expect(isCandidate({ score: 6, accepted: false, dismissal }, threshold)).toBe(false);
    expect(isCandidate({ score: 11, accepted: false, dismissal }, threshold)).toBe(false);
    expect(isCandidate({ score: 12, accepted: false, dismissal }, threshold)).toBe(true);
    // Dismissed at score 0 or below: "doubling" means reaching at least 2.
    expect(isCandidate({ score: 2, accepted: true, dismissal: { scoreAtDismissal: 0, reason: 'x' } }, threshold)).toBe(true);
    expect(isCandidate({ score: 2, accepted: true, dismissal: { scoreAtDismissal: 2, reason: 'x' } }, threshold)).toBe(false);
  });
});

describe('Wilson lower bound', () => {
  it('matches the 95% formula on known values', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
    expect(wilsonLowerBound(1, 0)).toBeCloseTo(0.2065, 4);
    expect(wilsonLowerBound(5, 0)).toBeCloseTo(0.5655, 4);
    expect(wilsonLowerBound(10, 0)).toBeCloseTo(0.7225, 4);
    expect(wilsonLowerBound(50, 50)).toBeCloseTo(0.4038, 4);
    expect(wilsonLowerBound(0, 10)).toBeCloseTo(0, 10);
  });

  it('trusts many votes more than a few at the same ratio', () => {
    expect(wilsonLowerBound(90, 10)).toBeGreaterThan(wilsonLowerBound(9, 1));
    expect(wilsonLowerBound(9, 1)).toBeGreaterThan(wilsonLowerBound(5, 0));
    expect(wilsonLowerBound(5, 0)).toBeGreaterThan(wilsonLowerBound(6, 3));
  });
});

describe('evidence ranking', () => {
  const base = { upVotes: 8, downVotes: 0, accepted: false, questionViews: 100, duplicateCount: 0 };
  it('ranks by vote quality first, then acceptance, views and duplicates', () => {
    const rows = [
      { name: 'few votes', ...base, upVotes: 5 },
      { name: 'baseline', ...base },
      { name: 'accepted', ...base, accepted: true },
      { name: 'popular', ...base, questionViews: 10_000 },
      { name: 'duplicated', ...base, duplicateCount: 1 },
      { name: 'contested', ...base, upVotes: 12, downVotes: 6 },
    ];
    const ranked = [...rows].sort((a, b) => candidateEvidence(b) - candidateEvidence(a)).map((r) => r.name);
    expect(ranked).toEqual(['accepted', 'popular', 'duplicated', 'baseline', 'few votes', 'contested']);
  });

  it('values each kind of evidence by the documented weights', () => {
    const plain = candidateEvidence(base);
    expect(candidateEvidence({ ...base, accepted: true }) - plain).toBeCloseTo(15, 10);
    expect(candidateEvidence({ ...base, duplicateCount: 1 }) - plain).toBeCloseTo(8, 10);
    expect(candidateEvidence({ ...base, questionViews: 0 })).toBeCloseTo(100 * wilsonLowerBound(8, 0), 10);
  });
});

describe('entry order', () => {
  let n = 0;
  function entry(over: Partial<FaqEntry>): FaqEntry {
    n += 1;
    return {
      id: String(n), communityId: '1', categoryId: '1', title: `e${n}`, slug: `e${n}`, bodyMd: '', bodyHtml: '', bodyText: '',
      sourceQuestionId: null, sourceAnswerId: null, status: 'published', pinned: false, pinPosition: 0, viewCount: 0, helpfulYes: 0,
      helpfulNo: 0, searchClicks: 0, duplicateCount: 0, needsReview: false, reviewReason: null, revisionCount: 1, createdBy: '1',
      createdAt: n, updatedAt: n, ...over,
    };
  }

  it('counts views, helpful votes, duplicates and search clicks as how often it is asked', () => {
    expect(askFrequency({ viewCount: 10, helpfulYes: 2, duplicateCount: 1, searchClicks: 3 })).toBe(10 + 10 + 20 + 9);
  });

  it('puts pinned entries first by pin position, then the most asked, then the newest', () => {
    const pinnedSecond = entry({ title: 'pinned 2', pinned: true, pinPosition: 2 });
    const pinnedFirst = entry({ title: 'pinned 1', pinned: true, pinPosition: 1, viewCount: 0 });
    const popular = entry({ title: 'popular', viewCount: 500 });
    const helpful = entry({ title: 'helpful', helpfulYes: 30 }); // 150
    const older = entry({ title: 'older', viewCount: 10, createdAt: 1 });
    const newer = entry({ title: 'newer', viewCount: 10, createdAt: 99 });
    const sorted = [older, helpful, newer, pinnedSecond, popular, pinnedFirst].sort(compareEntries).map((e) => e.title);
    expect(sorted).toEqual(['pinned 1', 'pinned 2', 'popular', 'helpful', 'newer', 'older']);
  });
});
