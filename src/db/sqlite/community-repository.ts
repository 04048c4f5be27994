import type { CommunityRepository, CommunityUpdate, NewCommunity } from '../ports.js';
import type { Community, CommunityKind, Locale } from '../../domain/types.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { type Db, toRowId } from './connection.js';

export interface CommunityRow {
  id: number;
  slug: string;
  name: string;
  kind: string;
  description_md: string;
  description_html: string;
  default_locale: string;
  member_count: number;
  question_count: number;
  promotion_threshold: number;
  created_at: number;
  updated_at: number;
}

export function mapCommunity(row: CommunityRow): Community {
  return {
    id: String(row.id),
    slug: row.slug,
    name: row.name,
    kind: row.kind as CommunityKind,
    descriptionMd: row.description_md,
    descriptionHtml: row.description_html,
    defaultLocale: row.default_locale as Locale,
    memberCount: row.member_count,
    questionCount: row.question_count,
    promotionThreshold: row.promotion_threshold,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const columnOf: Record<keyof CommunityUpdate, string> = {
  name: 'name',
  kind: 'kind',
  descriptionMd: 'description_md',
  descriptionHtml: 'description_html',
  defaultLocale: 'default_locale',
  promotionThreshold: 'promotion_threshold',
};

export class SqliteCommunityRepository implements CommunityRepository {
  private readonly byId;
  private readonly bySlug;

  constructor(private readonly db: Db) {
    this.byId = db.prepare<[number], CommunityRow>('SELECT * FROM communities WHERE id = ?');
    this.bySlug = db.prepare<[string], CommunityRow>('SELECT * FROM communities WHERE slug = ?');
  }

  async create(input: NewCommunity): Promise<Community> {
    const now = Date.now();
    try {
      const info = this.db
        .prepare(
          `INSERT INTO communities (slug, name, kind, description_md, description_html, default_locale, promotion_threshold, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(input.slug, input.name, input.kind, input.descriptionMd, input.descriptionHtml, input.defaultLocale, input.promotionThreshold ?? 5, now, now);
      return mapCommunity(this.byId.get(Number(info.lastInsertRowid))!);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new ConflictError('community.slugTaken');
      throw err;
    }
  }

  async update(id: string, changes: CommunityUpdate): Promise<Community> {
    const rowId = toRowId(id);
    if (rowId === null) throw new NotFoundError();
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      sets.push(`${columnOf[key as keyof CommunityUpdate]} = ?`);
      values.push(value);
    }
    sets.push('updated_at = ?');
    values.push(Date.now());
    this.db.prepare(`UPDATE communities SET ${sets.join(', ')} WHERE id = ?`).run(...values, rowId);
    const row = this.byId.get(rowId);
    if (!row) throw new NotFoundError();
    return mapCommunity(row);
  }

  async findBySlug(slug: string): Promise<Community | null> {
    const row = this.bySlug.get(slug);
    return row ? mapCommunity(row) : null;
  }

  async findById(id: string): Promise<Community | null> {
    const rowId = toRowId(id);
    if (rowId === null) return null;
    const row = this.byId.get(rowId);
    return row ? mapCommunity(row) : null;
  }

  async list(): Promise<Community[]> {
    return this.db.prepare<[], CommunityRow>('SELECT * FROM communities ORDER BY name COLLATE NOCASE').all().map(mapCommunity);
  }
}
