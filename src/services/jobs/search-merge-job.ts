import type { CompactionReport, SearchEngine } from '../../search/port.js';
import type { Job, JobLog } from './job-runner.js';

/**
 * How often the index is checked for segments to merge, and the wall time one run may spend
 * merging (in steps of about 10 ms, one per event-loop turn, so requests run in between). A
 * forum's writes add a few small segments a minute; a database that was never merged (the full
 * benchmark data) takes a few runs.
 */
export const SEARCH_MERGE_INTERVAL_MS = 30_000;
export const SEARCH_MERGE_BUDGET_MS = 3_000;

/**
 * Keeps the embedded search index merged (segments.ts), under a lease so one instance merges.
 * A merge changes no page (same rows, same results): it never moves the page cache's generation.
 * Engines without compactIndex (Meilisearch merges its own) get no job.
 */
export function searchMergeJob(engine: SearchEngine, log: JobLog | null, intervalMs = SEARCH_MERGE_INTERVAL_MS, budgetMs = SEARCH_MERGE_BUDGET_MS): Job<CompactionReport> | null {
  const compact = engine.compactIndex?.bind(engine);
  if (!compact) return null;
  return {
    name: 'search-merge',
    intervalMs,
    run: async (): Promise<CompactionReport> => {
      const report = await compact({ budgetMs });
      if (report.steps > 0) log?.info({ job: 'search-merge', ...report, maxStepMs: Math.round(report.maxStepMs), workMs: Math.round(report.workMs) }, 'search index segments merged');
      return report;
    },
    changedContent: () => false,
  };
}
