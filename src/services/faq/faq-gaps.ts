import type { SearchLogRepository, SearchReportRow, SynonymRepository, SynonymSuggestionRow } from '../../db/ports.js';
import { checkSynonymTerms, splitSynonymInput } from '../../domain/synonym-rules.js';

/*
 * The FAQ gaps report: what people searched for in a community and did not find (no
 * results), or found but did not open (no click). Each is a question the FAQ does not
 * answer yet. The numbers come from the search log; this class only picks the period and
 * merges spellings that differ in case or spacing.
 *
 * Only searches made in the community count as its gaps. Searches made across the whole site
 * (no community chosen) may be about any community's subject ("coffee" in a camera
 * community), so the ones that found nothing are listed apart, for the moderator to judge.
 */

/** The periods the report offers, in days. */
export const GAP_PERIODS = [7, 30, 90] as const;
export type GapPeriod = (typeof GAP_PERIODS)[number];
export const DEFAULT_GAP_PERIOD: GapPeriod = 30;

const ROWS_PER_GROUP = 50;
/** How soon after a search that found nothing the next (clicked) search counts as its rewording. */
export const SUGGESTION_WINDOW_MS = 5 * 60_000;
const SUGGESTIONS_SHOWN = 20;
const DAY_MS = 86_400_000;

export interface FaqGapRow {
  /** The most searched spelling of the query. */
  query: string;
  searches: number;
  users: number;
  avgHits: number;
}

export interface FaqGapReport {
  days: GapPeriod;
  searches: number;
  noResultSearches: number;
  clickedSearches: number;
  noResults: FaqGapRow[];
  noClicks: FaqGapRow[];
  /** Site-wide searches (no community filter) in the period that found nothing. */
  siteWide: { searches: number; noResults: FaqGapRow[] };
  /**
   * Suggested synonyms: a query that found nothing and the query the same browser searched
   * next (within SUGGESTION_WINDOW_MS) and clicked a result of. Only pairs that can be a
   * synonym group as they stand (two valid terms, neither in a group yet).
   */
  suggestions: SynonymSuggestion[];
}

export interface SynonymSuggestion extends SynonymSuggestionRow {
  /** The two folded terms, as the synonym form's "terms" field takes them. */
  terms: string;
}

/** The pair as a synonym group's form input, or null when it could not be one. */
export function suggestionTerms(row: Pick<SynonymSuggestionRow, 'from' | 'to'>, taken: ReadonlySet<string>): string | null {
  const typed = [row.from, row.to].map((q) => q.replace(/\s+/g, ' ').trim());
  // A query holding a separator would become several terms: not the pair that was searched.
  if (typed.some((q) => splitSynonymInput(q).length !== 1)) return null;
  try {
    const terms = checkSynonymTerms(typed.join(', '));
    return terms.length === 2 && !terms.some((t) => taken.has(t)) ? typed.join(', ') : null;
  } catch {
    return null;
  }
}

export function gapPeriod(raw: string | undefined): GapPeriod {
  const n = Number(raw);
  return (GAP_PERIODS as readonly number[]).includes(n) && /^\d+$/.test(raw ?? '') ? (n as GapPeriod) : DEFAULT_GAP_PERIOD;
}

/** "  Battery   LIFE " and "battery life" are the same gap. */
export function normaliseGapQuery(query: string): string {
  return query.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Merges rows whose queries normalise to the same text, keeping the most searched spelling. */
export function groupGapRows(rows: SearchReportRow[]): FaqGapRow[] {
  const groups = new Map<string, { row: FaqGapRow; best: number; hitTotal: number }>();
  for (const r of rows) {
    const key = normaliseGapQuery(r.query);
    if (key === '') continue;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { row: { query: r.query.replace(/\s+/g, ' ').trim(), searches: r.searches, users: r.users, avgHits: r.avgHits }, best: r.searches, hitTotal: r.avgHits * r.searches });
      continue;
    }
    if (r.searches > g.best) {
      g.best = r.searches;
      g.row.query = r.query.replace(/\s+/g, ' ').trim();
    }
    g.row.searches += r.searches;
    // Distinct users per spelling: the sum can count one person twice, so it is an upper bound.
    g.row.users += r.users;
    g.hitTotal += r.avgHits * r.searches;
    g.row.avgHits = Math.round((g.hitTotal / g.row.searches) * 10) / 10;
  }
  return [...groups.values()].map((g) => g.row).sort((a, b) => b.searches - a.searches || b.users - a.users || a.query.localeCompare(b.query));
}

export class FaqGaps {
  constructor(
    private readonly log: Pick<SearchLogRepository, 'report' | 'synonymSuggestions'>,
    private readonly now: () => number = Date.now,
    private readonly synonyms: Pick<SynonymRepository, 'list'> | null = null,
  ) {}

  /** Suggested pairs, without those an admin already grouped (either term taken). */
  private async suggestions(communityId: string, since: number): Promise<SynonymSuggestion[]> {
    const [rows, groups] = await Promise.all([this.log.synonymSuggestions(communityId, since, SUGGESTION_WINDOW_MS, SUGGESTIONS_SHOWN * 2), this.synonyms?.list() ?? []]);
    const taken = new Set(groups.flatMap((g) => g.terms));
    const out: SynonymSuggestion[] = [];
    for (const row of rows) {
      const terms = suggestionTerms(row, taken);
      if (terms !== null) out.push({ ...row, terms });
    }
    return out.slice(0, SUGGESTIONS_SHOWN);
  }

  async report(communityId: string, days: GapPeriod): Promise<FaqGapReport> {
    const since = this.now() - days * DAY_MS;
    const [report, siteWide, suggestions] = await Promise.all([
      this.log.report(communityId, since, ROWS_PER_GROUP, 'community'),
      this.log.report(communityId, since, ROWS_PER_GROUP, 'siteWide'),
      this.suggestions(communityId, since),
    ]);
    return {
      days,
      searches: report.searches,
      noResultSearches: report.noResultSearches,
      clickedSearches: report.clickedSearches,
      noResults: groupGapRows(report.noResults),
      noClicks: groupGapRows(report.noClicks),
      siteWide: { searches: siteWide.searches, noResults: groupGapRows(siteWide.noResults) },
      suggestions,
    };
  }
}
