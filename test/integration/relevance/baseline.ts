/*
 * The yardstick: plain FTS5 bm25 over the same documents, every query word OR-ed, default
 * column weights, no typos, prefixes, synonyms or boosts. Words are cut with Intl.Segmenter
 * (which leaves English words whole and cuts Chinese into words), as the baseline.
 * Test code on purpose: it is what the engine must beat, not part of the engine.
 */
import Database from 'better-sqlite3';

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

export function baselineTokens(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text.normalize('NFKC').toLowerCase())) {
    if (!s.isWordLike) continue;
    for (const t of s.segment.split(/[^\p{L}\p{N}]+/u)) if (t !== '') out.push(t);
  }
  return out;
}

export interface BaselineHit {
  doc: string;
  thread: string;
}

export class Bm25Baseline {
  private readonly db = new Database(':memory:');
  private readonly docs: BaselineHit[] = [];

  constructor(documents: ReadonlyArray<{ doc: string; thread: string; title: string; tags: string; body: string }>) {
    this.db.exec("CREATE VIRTUAL TABLE t USING fts5(title, tags, body, tokenize = 'unicode61')");
    const insert = this.db.prepare('INSERT INTO t (rowid, title, tags, body) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      documents.forEach((d, i) => {
        this.docs.push({ doc: d.doc, thread: d.thread });
        insert.run(i + 1, baselineTokens(d.title).join(' '), baselineTokens(d.tags).join(' '), baselineTokens(d.body).join(' '));
      });
    })();
  }

  /** Best documents first. */
  search(q: string, limit = 100): BaselineHit[] {
    const words = [...new Set(baselineTokens(q))];
    if (words.length === 0) return [];
    const match = words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' OR ');
    const rows = this.db.prepare('SELECT rowid AS id FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?').all(match, limit) as Array<{ id: number }>;
    return rows.map((r) => this.docs[r.id - 1]!);
  }

  close(): void {
    this.db.close();
  }
}
