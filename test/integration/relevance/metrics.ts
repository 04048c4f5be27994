/* Recall@k, MRR and zero-result share per query kind, and the one table the suite prints. */
import type { QueryKind } from './queries.js';

export interface Ranked {
  kind: QueryKind;
  /** 1-based position of the first expected thread among distinct threads, null when not in the top 10. */
  rank: number | null;
  zero: boolean;
  /** FAQ kinds: the first hit is the FAQ entry made from the expected question. */
  faqFirst?: boolean;
}

export interface Metrics {
  n: number;
  r1: number;
  r5: number;
  r10: number;
  mrr: number;
  zero: number;
}

export function metrics(list: readonly Ranked[]): Metrics {
  const n = list.length || 1;
  const at = (k: number) => list.filter((o) => o.rank !== null && o.rank <= k).length / n;
  return {
    n: list.length,
    r1: at(1),
    r5: at(5),
    r10: at(10),
    mrr: list.reduce((s, o) => s + (o.rank === null ? 0 : 1 / o.rank), 0) / n,
    zero: list.filter((o) => o.zero).length / n,
  };
}

export function table(rows: Array<{ kind: string; app: Metrics; base: Metrics }>): string {
  const f = (x: number) => x.toFixed(3);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const head = `| kind | n | R@1 app / bm25 | R@5 app / bm25 | R@10 app / bm25 | MRR app / bm25 | zero app / bm25 |`;
  const sep = '|---|---|---|---|---|---|---|';
  const lines = rows.map(({ kind, app, base }) => `| ${kind} | ${app.n} | ${f(app.r1)} / ${f(base.r1)} | ${f(app.r5)} / ${f(base.r5)} | ${f(app.r10)} / ${f(base.r10)} | ${f(app.mrr)} / ${f(base.mrr)} | ${pct(app.zero)} / ${pct(base.zero)} |`);
  return [head, sep, ...lines].join('\n');
}
