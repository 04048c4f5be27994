import type { MemberWithUser, MembershipRepository } from '../ports.js';
import type { Community, CommunityRole, Membership } from '../../domain/types.js';
import { type Db, toRowId } from './connection.js';
import { mapCommunity, type CommunityRow } from './community-repository.js';
import { mapUser, type UserRow } from './user-repository.js';

interface MembershipRow {
  community_id: number;
  user_id: number;
  role: string;
  joined_at: number;
}

function mapMembership(row: MembershipRow): Membership {
  return { communityId: String(row.community_id), userId: String(row.user_id), role: row.role as CommunityRole, joinedAt: row.joined_at };
}

export class SqliteMembershipRepository implements MembershipRepository {
  private readonly select;

  constructor(private readonly db: Db) {
    this.select = db.prepare<[number, number], MembershipRow>('SELECT * FROM memberships WHERE community_id = ? AND user_id = ?');
  }

  async upsert(communityId: string, userId: string, role: CommunityRole): Promise<Membership> {
    const c = toRowId(communityId);
    const u = toRowId(userId);
    if (c === null || u === null) throw new Error('Invalid id');
    return this.db.transaction(() => {
      const existing = this.select.get(c, u);
      if (existing) {
        this.db.prepare('UPDATE memberships SET role = ? WHERE community_id = ? AND user_id = ?').run(role, c, u);
      } else {
        this.db.prepare('INSERT INTO memberships (community_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)').run(c, u, role, Date.now());
        this.db.prepare('UPDATE communities SET member_count = member_count + 1 WHERE id = ?').run(c);
      }
      return mapMembership(this.select.get(c, u)!);
    })();
  }

  async remove(communityId: string, userId: string): Promise<boolean> {
    const c = toRowId(communityId);
    const u = toRowId(userId);
    if (c === null || u === null) return false;
    return this.db.transaction(() => {
      const changes = this.db.prepare('DELETE FROM memberships WHERE community_id = ? AND user_id = ?').run(c, u).changes;
      if (changes > 0) this.db.prepare('UPDATE communities SET member_count = member_count - 1 WHERE id = ?').run(c);
      return changes > 0;
    })();
  }

  async find(communityId: string, userId: string): Promise<Membership | null> {
    const c = toRowId(communityId);
    const u = toRowId(userId);
    if (c === null || u === null) return null;
    const row = this.select.get(c, u);
    return row ? mapMembership(row) : null;
  }

  async listForUser(userId: string, options: { staffOnly?: boolean } = {}): Promise<Array<{ membership: Membership; community: Community }>> {
    const u = toRowId(userId);
    if (u === null) return [];
    const rows = this.db
      .prepare<[number], MembershipRow & { c_json: string }>(
        `SELECT m.*, json_object('id', c.id, 'slug', c.slug, 'name', c.name, 'kind', c.kind,
           'description_md', c.description_md, 'description_html', c.description_html,
           'default_locale', c.default_locale, 'member_count', c.member_count, 'question_count', c.question_count,
           'promotion_threshold', c.promotion_threshold, 'created_at', c.created_at, 'updated_at', c.updated_at) AS c_json
         FROM memberships m JOIN communities c ON c.id = m.community_id
         WHERE m.user_id = ?${options.staffOnly ? " AND m.role != 'member'" : ''} ORDER BY c.name COLLATE NOCASE`,
      )
      .all(u);
    return rows.map((row) => ({ membership: mapMembership(row), community: mapCommunity(JSON.parse(row.c_json) as CommunityRow) }));
  }

  async membershipsOf(userId: string): Promise<Membership[]> {
    const u = toRowId(userId);
    if (u === null) return [];
    return this.db.prepare<[number], MembershipRow>('SELECT * FROM memberships WHERE user_id = ?').all(u).map(mapMembership);
  }

  async listStaff(communityId: string): Promise<MemberWithUser[]> {
    const c = toRowId(communityId);
    if (c === null) return [];
    const rows = this.db
      .prepare<[number], MembershipRow & { u_json: string }>(
        `SELECT m.*, json_object('id', u.id, 'username', u.username, 'email', u.email, 'display_name', u.display_name,
           'password_hash', '', 'is_admin', u.is_admin, 'reputation', u.reputation, 'created_at', u.created_at) AS u_json
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.community_id = ? AND m.role IN ('staff', 'moderator') ORDER BY m.role, u.username`,
      )
      .all(c);
    return rows.map((row) => ({ membership: mapMembership(row), user: mapUser(JSON.parse(row.u_json) as UserRow) }));
  }
}
