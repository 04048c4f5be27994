import type { TagRepository } from '../ports.js';
import type { Tag } from '../../domain/qa-types.js';
import { type Db, toRowId } from './connection.js';

interface TagRow {
  id: number;
  community_id: number;
  name: string;
  question_count: number;
}

const mapTag = (r: TagRow): Tag => ({ id: String(r.id), communityId: String(r.community_id), name: r.name, questionCount: r.question_count });

export class SqliteTagRepository implements TagRepository {
  constructor(private readonly db: Db) {}

  async popular(communityId: string, limit: number): Promise<Tag[]> {
    const cId = toRowId(communityId);
    if (cId === null) return [];
    return this.db
      .prepare<[number, number], TagRow>('SELECT * FROM tags WHERE community_id = ? AND question_count > 0 ORDER BY question_count DESC, name LIMIT ?')
      .all(cId, limit)
      .map(mapTag);
  }

  async find(communityId: string, name: string): Promise<Tag | null> {
    const cId = toRowId(communityId);
    if (cId === null) return null;
    const row = this.db.prepare<[number, string], TagRow>('SELECT * FROM tags WHERE community_id = ? AND name = ?').get(cId, name);
    return row ? mapTag(row) : null;
  }
}
