import type { NewSynonymGroup, SynonymRepository } from '../ports.js';
import type { SynonymGroup } from '../../domain/types.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import type { Statement } from 'better-sqlite3';
import { type Db, toRowId } from './connection.js';

interface GroupRow {
  id: number;
  created_by: number;
  created_at: number;
  updated_at: number;
}

interface TermRow {
  group_id: number;
  term: string;
}

const VERSION_KEY = 'search_synonyms_version';

function isTermTaken(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const mapGroup = (row: GroupRow, terms: string[]): SynonymGroup => ({
  id: String(row.id),
  terms,
  createdBy: String(row.created_by),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** Inserts the terms one by one so that a clash names the term that is taken. */
function insertTerms(insert: Statement<[string, number, number]>, groupId: number, terms: string[]): void {
  terms.forEach((term, position) => {
    try {
      insert.run(term, groupId, position);
    } catch (err) {
      if (isTermTaken(err)) throw new ConflictError('synonyms.terms.taken', { term });
      throw err;
    }
  });
}

export class SqliteSynonymRepository implements SynonymRepository {
  private readonly groupById;
  private readonly termsOf;
  private readonly insertTerm;
  private readonly bump;
  private readonly versionRow;

  constructor(private readonly db: Db) {
    this.groupById = db.prepare<[number], GroupRow>('SELECT * FROM search_synonym_groups WHERE id = ?');
    this.termsOf = db.prepare<[number], TermRow>('SELECT group_id, term FROM search_synonym_terms WHERE group_id = ? ORDER BY position');
    this.insertTerm = db.prepare<[string, number, number]>('INSERT INTO search_synonym_terms (term, group_id, position) VALUES (?, ?, ?)');
    // Read before every embedded search: prepared once.
    this.versionRow = db.prepare<[], { value: string }>(`SELECT value FROM meta WHERE key = '${VERSION_KEY}'`);
    // Run in the same transaction as the change it records, so no reader sees one without the other.
    this.bump = db.prepare(`INSERT INTO meta (key, value) VALUES ('${VERSION_KEY}', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`);
  }

  async list(): Promise<SynonymGroup[]> {
    const groups = this.db.prepare<[], GroupRow>('SELECT * FROM search_synonym_groups ORDER BY id DESC').all();
    const terms = new Map<number, string[]>();
    for (const t of this.db.prepare<[], TermRow>('SELECT group_id, term FROM search_synonym_terms ORDER BY group_id, position').all()) {
      const list = terms.get(t.group_id);
      if (list) list.push(t.term);
      else terms.set(t.group_id, [t.term]);
    }
    return groups.map((g) => mapGroup(g, terms.get(g.id) ?? []));
  }

  async findById(id: string): Promise<SynonymGroup | null> {
    const rowId = toRowId(id);
    if (rowId === null) return null;
    const row = this.groupById.get(rowId);
    return row ? mapGroup(row, this.termsOf.all(rowId).map((t) => t.term)) : null;
  }

  async create(input: NewSynonymGroup): Promise<SynonymGroup> {
    const author = toRowId(input.createdBy);
    if (author === null) throw new NotFoundError();
    const id = this.db.transaction(() => {
      const info = this.db.prepare('INSERT INTO search_synonym_groups (created_by, created_at, updated_at) VALUES (?, ?, ?)').run(author, input.now, input.now);
      const groupId = Number(info.lastInsertRowid);
      insertTerms(this.insertTerm, groupId, input.terms);
      this.bump.run();
      return groupId;
    })();
    return (await this.findById(String(id)))!;
  }

  async update(id: string, terms: string[], now: number): Promise<SynonymGroup> {
    const rowId = toRowId(id);
    if (rowId === null) throw new NotFoundError();
    this.db.transaction(() => {
      const changed = this.db.prepare('UPDATE search_synonym_groups SET updated_at = ? WHERE id = ?').run(now, rowId).changes;
      if (changed === 0) throw new NotFoundError();
      // The group's own terms go first, so keeping a term while editing the others is no clash.
      this.db.prepare('DELETE FROM search_synonym_terms WHERE group_id = ?').run(rowId);
      insertTerms(this.insertTerm, rowId, terms);
      this.bump.run();
    })();
    return (await this.findById(id))!;
  }

  async delete(id: string): Promise<boolean> {
    const rowId = toRowId(id);
    if (rowId === null) return false;
    return this.db.transaction(() => {
      // Terms go with their group (ON DELETE CASCADE).
      const deleted = this.db.prepare('DELETE FROM search_synonym_groups WHERE id = ?').run(rowId).changes > 0;
      if (deleted) this.bump.run();
      return deleted;
    })();
  }

  async version(): Promise<string> {
    return this.versionRow.get()?.value ?? '0';
  }
}
