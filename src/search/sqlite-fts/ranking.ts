import type { ScoreParts } from '../port.js';

/*
 * How the embedded engine orders the documents it collected. Every query word (term) is
 * evidence: a document's text relevance is the sum of its field-weighted bm25 per term
 * (title > tags > FAQ path > body, from FTS5), each scaled by how the term matched (exact or
 * synonym 1, prefix, one typo, two typos), times a factor that grows with the share of the
 * query's weight it covers (rare words weigh more, as in bm25's idf). Coverage is a score, not
 * a filter: a document with most of the meaningful words outranks one with a single rare word,
 * and is reached even when it lacks the rarest. Then votes, accepted answers and the FAQ boost.
 */

/** The attribute-table columns a candidate carries into ranking (read once per document). */
export interface DocAttributes {
  kind: 'question' | 'answer' | 'faq';
  community_id: number;
  thread_id: number | null;
  score: number;
  accepted: number;
  answer_count: number;
  created_at: number;
  tags: string;
}

export interface Evidence extends DocAttributes {
  id: number;
  /** Per term: the best bm25 contribution (positive, quality applied), and that match's quality. */
  termScore: ArrayLike<number>;
  termQuality: ArrayLike<number>;
}

export interface Ranked extends Evidence {
  final: number;
  coverage: number;
  relevance: number;
  boost: number;
  /** Title evidence (title-match.ts), set for the best candidates only (0 for the rest). */
  titleCoverage: number;
  proximity: number;
}

/** bm25's idf, from the documents holding a term among all documents. */
export function termWeight(df: number, total: number): number {
  return Math.log(1 + (Math.max(total, df) - df + 0.5) / (df + 0.5));
}

/**
 * Quality signals after text relevance: curated FAQ entries and accepted or highly voted
 * answers move up, negatively scored posts move down. The smallest FAQ boost is larger than
 * the largest a post can get: curation outweighs votes.
 */
export function qualityBoost(row: Pick<Evidence, 'kind' | 'score' | 'accepted' | 'answer_count'>): number {
  return qualityBoostOf(row.kind, row.score, row.accepted, row.answer_count);
}

/** qualityBoost() from the attributes themselves (ranking thousands of candidates from typed columns, no object each). */
export function qualityBoostOf(kind: DocAttributes['kind'], score: number, accepted: number, answerCount: number): number {
  if (kind === 'faq') return 1.5 + (score >= 0 ? Math.min(0.5, 0.1 * Math.log2(1 + score)) : Math.max(-0.3, 0.05 * score));
  let boost = score > 0 ? Math.min(0.4, 0.08 * Math.log2(1 + score)) : Math.max(-0.4, 0.1 * score);
  if (kind === 'answer' && accepted) boost += 0.25;
  if (kind === 'question' && accepted) boost += 0.1;
  if (kind === 'question' && answerCount === 0) boost -= 0.05;
  return Math.max(-0.5, Math.min(1, boost));
}

/**
 * The ranking's constants, measured on the relevance suite (test/integration/
 * search-relevance-suite.test.ts), in one place.
 */
export const RANKING = {
  /** bm25 column weights: title, tags, path (FAQ categories, community), body, Chinese bigrams of the title, of the rest. */
  columns: [8, 5, 3, 1, 8, 1] as number[],
  /** How much quality moves a document: relevance first, votes as the tie-breaker of similar matches. */
  qualityShare: 0.35,
  /** Coverage factor (base + coverage)^power: full coverage counts about twice half coverage at equal bm25. */
  coverageBase: 0.15,
  coveragePower: 1,
  /** Relevance grows by up to this share when the title holds all of the query's weight ... */
  titleShare: 1,
  /** ... and by up to this share when the query's neighbouring words stand together in it. */
  proximityShare: 0.5,
  /**
   * An answer's relevance counts this share: an answer explains with many words beyond what
   * was asked, so its body matching the query says less about what its thread is about than
   * the question's own text (measured: duplicates and English paraphrases both halves better).
   */
  answerWeight: 0.8,
  /** A Chinese function word's share of its idf weight and of its bm25 (function-words.ts). */
  functionWordWeight: 0.5,
  /** How many of the best candidates are judged by their title (a count: the same work at any load). */
  rerankDepth: 100,
};

/** Per query word, the share of its weight and bm25 it counts with (function words less). */
export function termScales(words: ReadonlyArray<{ functionWord: boolean }>): number[] {
  return words.map((w) => (w.functionWord ? RANKING.functionWordWeight : 1));
}

/*
 * rank(), byRelevance's order, onePerThread() and entriesBeforeSources() define the order per
 * object. The engine computes the same in typed columns for all its candidates
 * (candidate-list.ts: rankAll, sortedOrder, onePerThread, entriesBeforeSources), which must
 * stay equal to these to the last bit: test/unit/search-candidate-list.test.ts compares them.
 * A change here goes there too.
 */
export function rank(ev: Evidence, weights: readonly number[], totalWeight: number, scales?: readonly number[]): Ranked {
  let bm = 0;
  let covered = 0;
  for (let i = 0; i < weights.length; i++) {
    bm += ev.termScore[i]! * (scales ? scales[i]! : 1);
    covered += weights[i]! * ev.termQuality[i]!;
  }
  const coverage = totalWeight > 0 ? covered / totalWeight : 0;
  const relevance = bm * (RANKING.coverageBase + coverage) ** RANKING.coveragePower * (ev.kind === 'answer' ? RANKING.answerWeight : 1);
  const boost = qualityBoost(ev);
  // Filled in place, field by field: an object literal per candidate (thousands in a broad
  // search) was only garbage.
  const r = ev as Ranked;
  r.coverage = coverage;
  r.relevance = relevance;
  r.boost = boost;
  r.final = relevance * (1 + RANKING.qualityShare * boost);
  r.titleCoverage = 0;
  r.proximity = 0;
  return r;
}

/**
 * Adds the title evidence to a ranked document. The factor is at least 1, so a document
 * judged by its title never falls below one that was not judged (those rank below it already).
 */
export function withTitle(r: Ranked, titleCoverage: number, proximity: number): Ranked {
  r.titleCoverage = titleCoverage;
  r.proximity = proximity;
  r.relevance *= 1 + RANKING.titleShare * titleCoverage + RANKING.proximityShare * proximity;
  r.final = r.relevance * (1 + RANKING.qualityShare * r.boost);
  return r;
}

export function scoreParts(r: Ranked, words: readonly string[]): ScoreParts {
  const parts: ScoreParts = { final: r.final, relevance: r.relevance, coverage: r.coverage, 'title coverage': r.titleCoverage, proximity: r.proximity, quality: r.boost };
  words.forEach((w, i) => {
    if (r.termScore[i]! > 0) parts[`bm25 "${w}" (match ${r.termQuality[i]})`] = r.termScore[i]!;
  });
  return parts;
}

/** A stable order: the same documents always come out in the same order. */
export function byRelevance(a: Ranked, b: Ranked): number {
  return b.final - a.final || b.id - a.id;
}

/**
 * One hit per thread: the best document of each thread (question or answer) stands for it;
 * an FAQ entry is its own hit. Keeps the given order.
 */
export function onePerThread(rows: Ranked[]): Ranked[] {
  // FAQ entries by their (negative) id, threads by their (positive) id: numbers, no key strings.
  const seen = new Set<number>();
  const out: Ranked[] = [];
  for (const r of rows) {
    const key = r.kind === 'faq' ? -Math.abs(r.id) : (r.thread_id ?? r.id);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

/**
 * An FAQ entry is its thread's answer, reviewed: it is never shown below the question or
 * an answer it was made from, whatever their votes and wording.
 */
export function entriesBeforeSources(rows: Ranked[]): Ranked[] {
  if (!rows.some((r) => r.kind === 'faq' && r.thread_id !== null)) return rows;
  const first = new Map<number, number>();
  rows.forEach((r, i) => {
    if (r.kind !== 'faq' && r.thread_id !== null && !first.has(r.thread_id)) first.set(r.thread_id, i);
  });
  let moves = false;
  const place = rows.map((r, i) => {
    const source = r.kind === 'faq' && r.thread_id !== null ? first.get(r.thread_id) : undefined;
    if (source !== undefined && source < i) {
      moves = true;
      return source - 0.5 + i / 1e6;
    }
    return i;
  });
  // Usually no entry stands below its source: the order is kept as it is (a broad search
  // ranks thousands of documents, and sorting them all again was measurable).
  if (!moves) return rows;
  return rows
    .map((row, i) => ({ row, at: place[i]! }))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.row);
}
