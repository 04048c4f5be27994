import type { ModerationRepository } from '../moderation-port.js';
import {
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditEntry,
  type AuditFilter,
  type AuditInput,
  type CloseInput,
  type SystemCloseInput,
  type CloseReason,
  type CloseVoteTally,
  type Flag,
  type FlaggedPost,
  type FlagInput,
  type FlagOutcome,
  type FlagReason,
  type PostModeration,
  type ReviewSort,
  type Suspension,
  type SuspensionInput,
  HIDING_FLAG_REASONS,
} from '../../domain/moderation-types.js';
import type { Answer, Post, PostType, VoteValue } from '../../domain/qa-types.js';
import { reputationForVote } from '../../domain/reputation.js';
import { ConflictError, NotFoundError } from '../../domain/errors.js';
import { type Db, toRowId } from './connection.js';
import { mapPost, type PostRow } from './post-mapper.js';
import { addReputation } from './reputation.js';

interface AuditRow {
  id: number;
  actor_id: number | null;
  action: string;
  community_id: number | null;
  target_type: 'post' | 'user' | 'settings';
  target_id: string;
  reason: string;
  before: string | null;
  after: string | null;
  created_at: number;
}

interface StateRow {
  post_id: number;
  closed_at: number | null;
  closed_by: number | null;
  close_reason: string | null;
  close_note: string;
  duplicate_of: number | null;
  locked_at: number | null;
  locked_by: number | null;
  lock_reason: string;
  deleted_by: number | null;
  delete_reason: string;
  hidden_at: number | null;
  deleted_at?: number | null;
}

const str = (n: number | null): string | null => (n === null ? null : String(n));

function mapAudit(r: AuditRow): AuditEntry {
  return {
    id: String(r.id),
    actorId: str(r.actor_id),
    action: ((AUDIT_ACTIONS as readonly string[]).includes(r.action) ? r.action : 'user.warn') as AuditAction,
    communityId: str(r.community_id),
    targetType: r.target_type,
    targetId: r.target_id,
    reason: r.reason,
    before: r.before,
    after: r.after,
    createdAt: r.created_at,
  };
}

function mapState(r: StateRow, deletedAt: number | null): PostModeration {
  return {
    postId: String(r.post_id),
    closedAt: r.closed_at,
    closedBy: str(r.closed_by),
    closeReason: r.close_reason as CloseReason | null,
    closeNote: r.close_note,
    duplicateOf: str(r.duplicate_of),
    lockedAt: r.locked_at,
    lockedBy: str(r.locked_by),
    lockReason: r.lock_reason,
    deletedAt,
    deletedBy: str(r.deleted_by),
    deleteReason: r.delete_reason,
    hiddenAt: r.hidden_at,
  };
}

interface FlagRow {
  id: number;
  post_id: number;
  community_id: number;
  user_id: number;
  reason: string;
  text: string;
  created_at: number;
  resolved_at: number | null;
  resolved_by: number | null;
  outcome: string | null;
}

function mapFlag(r: FlagRow): Flag {
  return {
    id: String(r.id),
    postId: String(r.post_id),
    communityId: String(r.community_id),
    userId: String(r.user_id),
    reason: r.reason as FlagReason,
    text: r.text,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    resolvedBy: str(r.resolved_by),
    outcome: r.outcome as FlagOutcome | null,
  };
}

interface SuspensionRow {
  id: number;
  user_id: number;
  community_id: number | null;
  reason: string;
  ends_at: number | null;
  created_by: number;
  created_at: number;
  lifted_at: number | null;
  lifted_by: number | null;
}

function mapSuspension(r: SuspensionRow): Suspension {
  return {
    id: String(r.id),
    userId: String(r.user_id),
    communityId: str(r.community_id),
    reason: r.reason,
    endsAt: r.ends_at,
    createdBy: String(r.created_by),
    createdAt: r.created_at,
    liftedAt: r.lifted_at,
    liftedBy: str(r.lifted_by),
  };
}

const HIDING = HIDING_FLAG_REASONS.map((r) => `'${r}'`).join(', ');

/** The reputation the votes on a post give its author (what deleting takes away). */
function voteReputation(db: Db, postId: number, type: PostType): number {
  const rows = db.prepare<[number], { value: VoteValue; n: number }>('SELECT value, COUNT(*) AS n FROM votes WHERE post_id = ? GROUP BY value').all(postId);
  return rows.reduce((sum, r) => sum + r.n * reputationForVote(type, r.value), 0);
}

export class SqliteModerationRepository implements ModerationRepository {
  private readonly byId;

  constructor(private readonly db: Db) {
    this.byId = db.prepare<[number], PostRow>('SELECT * FROM posts WHERE id = ?');
  }

  /** Inside the caller's transaction. */
  private audit(e: AuditInput): AuditEntry {
    const row = this.db
      .prepare<unknown[], AuditRow>(
        `INSERT INTO audit_log (actor_id, action, community_id, target_type, target_id, reason, before, after, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(e.actorId === null ? null : toRowId(e.actorId), e.action, e.communityId === null ? null : toRowId(e.communityId), e.targetType, e.targetId, e.reason, e.before ?? null, e.after ?? null, e.now)!;
    return mapAudit(row);
  }

  /** Makes sure the post has a state row, so updates can be plain UPDATEs. */
  private ensureState(postId: number): StateRow {
    this.db.prepare('INSERT OR IGNORE INTO post_states (post_id) VALUES (?)').run(postId);
    return this.db.prepare<[number], StateRow>('SELECT * FROM post_states WHERE post_id = ?').get(postId)!;
  }

  private post(id: string): PostRow {
    const rowId = toRowId(id);
    const row = rowId === null ? undefined : this.byId.get(rowId);
    if (!row) throw new NotFoundError('qa.postNotFound');
    return row;
  }

  private liveQuestion(id: string): PostRow {
    const row = this.post(id);
    if (row.type !== 'question' || row.deleted_at !== null) throw new NotFoundError('qa.questionNotFound');
    return row;
  }

  async record(entry: AuditInput): Promise<AuditEntry> {
    return this.db.transaction(() => this.audit(entry))();
  }

  async listAudit(filter: AuditFilter): Promise<AuditEntry[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (clause: string, value: number | string | null) => {
      where.push(clause);
      args.push(value);
    };
    if (filter.communityId !== undefined) add('community_id = ?', toRowId(filter.communityId) ?? -1);
    if (filter.action !== undefined) add('action = ?', filter.action);
    if (filter.actorId !== undefined) add('actor_id = ?', toRowId(filter.actorId) ?? -1);
    if (filter.beforeId !== undefined) add('id < ?', toRowId(filter.beforeId) ?? 0);
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return this.db.prepare<unknown[], AuditRow>(sql).all(...args, Math.max(1, Math.min(500, Math.floor(filter.limit)))).map(mapAudit);
  }

  async findPostAny(postId: string): Promise<Post | null> {
    const rowId = toRowId(postId);
    const row = rowId === null ? undefined : this.byId.get(rowId);
    return row ? mapPost(row) : null;
  }

  async deletedAnswers(questionId: string, authorId?: string): Promise<Answer[]> {
    const rowId = toRowId(questionId);
    if (rowId === null) return [];
    if (authorId !== undefined) {
      const a = toRowId(authorId);
      if (a === null) return [];
      return this.db
        .prepare<[number, number], PostRow>("SELECT * FROM posts WHERE question_id = ? AND author_id = ? AND type = 'answer' AND deleted_at IS NOT NULL ORDER BY created_at, id")
        .all(rowId, a)
        .map((r) => mapPost(r) as Answer);
    }
    return this.db
      .prepare<[number], PostRow>("SELECT * FROM posts WHERE question_id = ? AND type = 'answer' AND deleted_at IS NOT NULL ORDER BY created_at, id")
      .all(rowId)
      .map((r) => mapPost(r) as Answer);
  }

  async states(postIds: string[]): Promise<Map<string, PostModeration>> {
    const ids = [...new Set(postIds.map(toRowId).filter((x): x is number => x !== null))];
    const out = new Map<string, PostModeration>();
    if (ids.length === 0) return out;
    const rows = this.db
      .prepare<number[], StateRow>(`SELECT s.*, p.deleted_at FROM post_states s JOIN posts p ON p.id = s.post_id WHERE s.post_id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids);
    for (const r of rows) out.set(String(r.post_id), mapState(r, r.deleted_at ?? null));
    return out;
  }

  private closeNow(q: PostRow, input: CloseInput | SystemCloseInput, via: 'moderator' | 'votes' | 'import'): void {
    const state = this.ensureState(q.id);
    if (state.closed_at !== null) throw new ConflictError('mod.alreadyClosed');
    let duplicateOf: number | null = null;
    if (input.reason === 'duplicate') {
      const original = this.liveQuestion(input.duplicateOf ?? '');
      if (original.id === q.id) throw new ConflictError('mod.duplicateOfItself');
      duplicateOf = original.id;
      this.db.prepare('UPDATE posts SET duplicate_count = duplicate_count + 1 WHERE id = ?').run(original.id);
    }
    this.db
      .prepare('UPDATE post_states SET closed_at = ?, closed_by = ?, close_reason = ?, close_note = ?, duplicate_of = ? WHERE post_id = ?')
      .run(input.now, input.actorId === null ? null : toRowId(input.actorId), input.reason, input.note, duplicateOf, q.id);
    this.db.prepare("DELETE FROM close_votes WHERE question_id = ? AND kind = 'close'").run(q.id);
    this.audit({
      actorId: input.actorId,
      action: 'question.close',
      communityId: String(q.community_id),
      targetType: 'post',
      targetId: String(q.id),
      reason: input.note,
      after: JSON.stringify({ reason: input.reason, duplicateOf: str(duplicateOf), via }),
      now: input.now,
    });
  }

  private reopenNow(q: PostRow, actorId: string, reason: string, now: number, via: 'moderator' | 'votes'): void {
    const state = this.ensureState(q.id);
    if (state.closed_at === null) throw new ConflictError('mod.notClosed');
    if (state.duplicate_of !== null) this.db.prepare('UPDATE posts SET duplicate_count = max(0, duplicate_count - 1) WHERE id = ?').run(state.duplicate_of);
    this.db.prepare("UPDATE post_states SET closed_at = NULL, closed_by = NULL, close_reason = NULL, close_note = '', duplicate_of = NULL WHERE post_id = ?").run(q.id);
    this.db.prepare("DELETE FROM close_votes WHERE question_id = ? AND kind = 'reopen'").run(q.id);
    this.audit({
      actorId,
      action: 'question.reopen',
      communityId: String(q.community_id),
      targetType: 'post',
      targetId: String(q.id),
      reason,
      before: JSON.stringify({ reason: state.close_reason, duplicateOf: str(state.duplicate_of) }),
      after: JSON.stringify({ via }),
      now,
    });
  }

  async close(input: CloseInput | SystemCloseInput): Promise<void> {
    this.db.transaction(() => this.closeNow(this.liveQuestion(input.questionId), input, 'via' in input ? input.via : 'moderator'))();
  }

  async reopen(questionId: string, actorId: string, reason: string, now: number): Promise<void> {
    this.db.transaction(() => this.reopenNow(this.liveQuestion(questionId), actorId, reason, now, 'moderator'))();
  }

  private tally(questionId: number): CloseVoteTally {
    const rows = this.db.prepare<[number], { kind: 'close' | 'reopen'; n: number }>('SELECT kind, COUNT(*) AS n FROM close_votes WHERE question_id = ? GROUP BY kind').all(questionId);
    return { close: rows.find((r) => r.kind === 'close')?.n ?? 0, reopen: rows.find((r) => r.kind === 'reopen')?.n ?? 0 };
  }

  async castCloseVote(input: CloseInput & { kind: 'close' | 'reopen' }, threshold: number): Promise<{ tally: CloseVoteTally; changed: boolean }> {
    return this.db.transaction(() => {
      const q = this.liveQuestion(input.questionId);
      const state = this.ensureState(q.id);
      const closed = state.closed_at !== null;
      if (input.kind === 'close' && closed) throw new ConflictError('mod.alreadyClosed');
      if (input.kind === 'reopen' && !closed) throw new ConflictError('mod.notClosed');
      let duplicateOf: number | null = null;
      if (input.kind === 'close' && input.reason === 'duplicate') {
        const original = this.liveQuestion(input.duplicateOf ?? '');
        if (original.id === q.id) throw new ConflictError('mod.duplicateOfItself');
        duplicateOf = original.id;
      }
      const info = this.db
        .prepare('INSERT OR IGNORE INTO close_votes (question_id, user_id, kind, reason, duplicate_of, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(q.id, toRowId(input.actorId), input.kind, input.kind === 'close' ? input.reason : '', duplicateOf, input.now);
      if (info.changes === 0) throw new ConflictError('mod.alreadyVoted');
      const tally = this.tally(q.id);
      if (input.kind === 'close' && tally.close >= threshold) {
        // The reason most voted; for duplicates, the original most named (earliest vote breaks ties).
        const top = this.db
          .prepare<[number], { reason: CloseReason; duplicate_of: number | null }>(
            `SELECT reason, duplicate_of FROM close_votes WHERE question_id = ? AND kind = 'close'
             GROUP BY reason, duplicate_of ORDER BY COUNT(*) DESC, MIN(created_at) ASC LIMIT 1`,
          )
          .get(q.id)!;
        this.closeNow(q, { ...input, reason: top.reason, duplicateOf: str(top.duplicate_of) }, 'votes');
        return { tally: this.tally(q.id), changed: true };
      }
      if (input.kind === 'reopen' && tally.reopen >= threshold) {
        this.reopenNow(q, input.actorId, input.note, input.now, 'votes');
        return { tally: this.tally(q.id), changed: true };
      }
      return { tally, changed: false };
    })();
  }

  async closeVotes(questionId: string, userId: string | null): Promise<CloseVoteTally & { mine: Array<'close' | 'reopen'> }> {
    const qId = toRowId(questionId);
    if (qId === null) return { close: 0, reopen: 0, mine: [] };
    const uId = userId === null ? null : toRowId(userId);
    const mine = uId === null ? [] : this.db.prepare<[number, number], { kind: 'close' | 'reopen' }>('SELECT kind FROM close_votes WHERE question_id = ? AND user_id = ?').all(qId, uId).map((r) => r.kind);
    return { ...this.tally(qId), mine };
  }

  async lock(postId: string, actorId: string, reason: string, now: number): Promise<void> {
    this.db.transaction(() => {
      const p = this.post(postId);
      if (p.deleted_at !== null) throw new NotFoundError('qa.postNotFound');
      const state = this.ensureState(p.id);
      if (state.locked_at !== null) throw new ConflictError('mod.alreadyLocked');
      this.db.prepare('UPDATE post_states SET locked_at = ?, locked_by = ?, lock_reason = ? WHERE post_id = ?').run(now, toRowId(actorId), reason, p.id);
      this.audit({ actorId, action: 'post.lock', communityId: String(p.community_id), targetType: 'post', targetId: String(p.id), reason, now });
    })();
  }

  async unlock(postId: string, actorId: string, reason: string, now: number): Promise<void> {
    this.db.transaction(() => {
      const p = this.post(postId);
      const state = this.ensureState(p.id);
      if (state.locked_at === null) throw new ConflictError('mod.notLocked');
      this.db.prepare("UPDATE post_states SET locked_at = NULL, locked_by = NULL, lock_reason = '' WHERE post_id = ?").run(p.id);
      this.audit({ actorId, action: 'post.unlock', communityId: String(p.community_id), targetType: 'post', targetId: String(p.id), reason, before: JSON.stringify({ reason: state.lock_reason }), now });
    })();
  }

  /**
   * Takes a post out of (sign -1) or back into (sign +1) everything that counts it: its
   * author's reputation from votes, its question's answer count, its community's question
   * count and its tags' counts. Inside the caller's transaction.
   */
  private applyCounts(p: PostRow, sign: 1 | -1): void {
    addReputation(this.db, p.author_id, sign * voteReputation(this.db, p.id, p.type));
    if (p.type === 'answer' && p.question_id !== null) {
      this.db.prepare('UPDATE posts SET answer_count = max(0, answer_count + ?) WHERE id = ?').run(sign, p.question_id);
      this.db.prepare('UPDATE question_tags SET answer_count = max(0, answer_count + ?) WHERE question_id = ?').run(sign, p.question_id);
    } else if (p.type === 'question') {
      this.db.prepare('UPDATE communities SET question_count = max(0, question_count + ?) WHERE id = ?').run(sign, p.community_id);
      this.db.prepare('UPDATE tags SET question_count = max(0, question_count + ?) WHERE id IN (SELECT tag_id FROM question_tags WHERE question_id = ?)').run(sign, p.id);
    }
  }

  async softDelete(postId: string, actorId: string, reason: string, now: number): Promise<void> {
    this.db.transaction(() => {
      const p = this.post(postId);
      const state = this.ensureState(p.id);
      if (p.deleted_at !== null && state.hidden_at === null) throw new ConflictError('mod.alreadyDeleted');
      // A post hidden by flags is already out of every count; deleting it keeps it out.
      if (p.deleted_at === null) {
        this.db.prepare('UPDATE posts SET deleted_at = ? WHERE id = ?').run(now, p.id);
        this.applyCounts(p, -1);
      }
      this.db.prepare('UPDATE post_states SET deleted_by = ?, delete_reason = ?, hidden_at = NULL WHERE post_id = ?').run(toRowId(actorId), reason, p.id);
      this.audit({ actorId, action: 'post.delete', communityId: String(p.community_id), targetType: 'post', targetId: String(p.id), reason, now });
    })();
  }

  async undelete(postId: string, actorId: string, reason: string, now: number): Promise<void> {
    this.db.transaction(() => {
      const p = this.post(postId);
      if (p.deleted_at === null) throw new ConflictError('mod.notDeleted');
      const state = this.ensureState(p.id);
      this.db.prepare('UPDATE posts SET deleted_at = NULL WHERE id = ?').run(p.id);
      this.applyCounts(p, 1);
      this.db.prepare("UPDATE post_states SET deleted_by = NULL, delete_reason = '', hidden_at = NULL WHERE post_id = ?").run(p.id);
      this.audit({
        actorId,
        action: 'post.undelete',
        communityId: String(p.community_id),
        targetType: 'post',
        targetId: String(p.id),
        reason,
        before: JSON.stringify({ reason: state.delete_reason, hidden: state.hidden_at !== null }),
        now,
      });
    })();
  }

  async addFlag(input: FlagInput, hideThreshold: number): Promise<{ openFlags: number; hidden: boolean }> {
    return this.db.transaction(() => {
      const p = this.post(input.postId);
      if (p.deleted_at !== null) throw new NotFoundError('qa.postNotFound');
      const info = this.db
        .prepare('INSERT OR IGNORE INTO flags (post_id, community_id, user_id, reason, text, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(p.id, p.community_id, toRowId(input.userId), input.reason, input.text, input.now);
      if (info.changes === 0) throw new ConflictError('mod.flag.already');
      const counts = this.db
        .prepare<[number], { open: number; hiding: number }>(`SELECT COUNT(*) AS open, SUM(reason IN (${HIDING})) AS hiding FROM flags WHERE post_id = ? AND resolved_at IS NULL`)
        .get(p.id)!;
      if ((counts.hiding ?? 0) < hideThreshold) return { openFlags: counts.open, hidden: false };
      this.ensureState(p.id);
      this.db.prepare('UPDATE posts SET deleted_at = ? WHERE id = ?').run(input.now, p.id);
      this.applyCounts(p, -1);
      this.db.prepare("UPDATE post_states SET hidden_at = ?, deleted_by = NULL, delete_reason = '' WHERE post_id = ?").run(input.now, p.id);
      this.audit({ actorId: null, action: 'post.hide', communityId: String(p.community_id), targetType: 'post', targetId: String(p.id), reason: '', after: JSON.stringify({ flags: counts.hiding }), now: input.now });
      return { openFlags: counts.open, hidden: true };
    })();
  }

  async flagQueue(communityId: string | null, sort: ReviewSort, limit: number): Promise<FlaggedPost[]> {
    const cId = communityId === null ? null : toRowId(communityId);
    if (communityId !== null && cId === null) return [];
    const order = sort === 'most' ? 'n DESC, latest DESC' : 'latest DESC, n DESC';
    const posts = this.db
      .prepare<unknown[], { post_id: number; community_id: number; latest: number; n: number }>(
        `SELECT post_id, community_id, MAX(created_at) AS latest, COUNT(*) AS n FROM flags
         WHERE resolved_at IS NULL ${cId === null ? '' : 'AND community_id = ?'}
         GROUP BY post_id ORDER BY ${order}, post_id DESC LIMIT ?`,
      )
      .all(...(cId === null ? [] : [cId]), Math.max(1, Math.min(200, Math.floor(limit))));
    if (posts.length === 0) return [];
    const flags = this.db
      .prepare<number[], FlagRow>(`SELECT * FROM flags WHERE resolved_at IS NULL AND post_id IN (${posts.map(() => '?').join(',')}) ORDER BY created_at DESC, id DESC`)
      .all(...posts.map((p) => p.post_id))
      .map(mapFlag);
    return posts.map((p) => ({ postId: String(p.post_id), communityId: String(p.community_id), latestAt: p.latest, flags: flags.filter((f) => f.postId === String(p.post_id)) }));
  }

  async openFlagCounts(): Promise<Map<string, number>> {
    const rows = this.db.prepare<[], { community_id: number; n: number }>('SELECT community_id, COUNT(DISTINCT post_id) AS n FROM flags WHERE resolved_at IS NULL GROUP BY community_id').all();
    return new Map(rows.map((r) => [String(r.community_id), r.n]));
  }

  async resolveFlags(postId: string, actorId: string, outcome: FlagOutcome, reason: string, now: number): Promise<string[]> {
    return this.db.transaction(() => {
      const p = this.post(postId);
      const flaggers = this.db
        .prepare<unknown[], { user_id: number }>('UPDATE flags SET resolved_at = ?, resolved_by = ?, outcome = ? WHERE post_id = ? AND resolved_at IS NULL RETURNING user_id')
        .all(now, toRowId(actorId), outcome, p.id)
        .map((r) => String(r.user_id));
      const resolved = flaggers.length;
      if (resolved === 0) throw new ConflictError('mod.flag.noneOpen');
      const state = this.ensureState(p.id);
      // Dismissing the flags that hid a post puts it back where it was.
      if (outcome === 'dismissed' && state.hidden_at !== null && p.deleted_at !== null) {
        this.db.prepare('UPDATE posts SET deleted_at = NULL WHERE id = ?').run(p.id);
        this.applyCounts(p, 1);
        this.db.prepare('UPDATE post_states SET hidden_at = NULL WHERE post_id = ?').run(p.id);
      }
      this.audit({ actorId, action: 'flags.resolve', communityId: String(p.community_id), targetType: 'post', targetId: String(p.id), reason, after: JSON.stringify({ outcome, flags: resolved }), now });
      return flaggers;
    })();
  }

  async flagsByUser(userId: string, limit: number): Promise<Flag[]> {
    const uId = toRowId(userId);
    if (uId === null) return [];
    return this.db.prepare<[number, number], FlagRow>('SELECT * FROM flags WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?').all(uId, Math.max(1, Math.floor(limit))).map(mapFlag);
  }

  async flaggedBy(userId: string, postIds: string[]): Promise<Set<string>> {
    const uId = toRowId(userId);
    const ids = postIds.map(toRowId).filter((x): x is number => x !== null);
    if (uId === null || ids.length === 0) return new Set();
    // One indexed look-up per post, not an IN list: see VoteRepository.votesBy.
    const one = this.db.prepare<[number, number], { hit: number }>('SELECT 1 AS hit FROM flags WHERE user_id = ? AND post_id = ? LIMIT 1');
    return new Set(ids.filter((id) => one.get(uId, id) !== undefined).map(String));
  }

  async suspend(input: SuspensionInput): Promise<Suspension> {
    const uId = toRowId(input.userId);
    if (uId === null) throw new NotFoundError('user.notFound');
    return this.db.transaction(() => {
      if (!this.db.prepare('SELECT 1 FROM users WHERE id = ?').get(uId)) throw new NotFoundError('user.notFound');
      const row = this.db
        .prepare<unknown[], SuspensionRow>('INSERT INTO suspensions (user_id, community_id, reason, ends_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *')
        .get(uId, input.communityId === null ? null : toRowId(input.communityId), input.reason, input.endsAt, toRowId(input.actorId), input.now)!;
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(uId);
      this.audit({ actorId: input.actorId, action: 'user.suspend', communityId: input.communityId, targetType: 'user', targetId: String(uId), reason: input.reason, after: JSON.stringify({ endsAt: input.endsAt, siteWide: input.communityId === null }), now: input.now });
      return mapSuspension(row);
    })();
  }

  async unsuspend(suspensionId: string, actorId: string, reason: string, now: number): Promise<Suspension> {
    const sId = toRowId(suspensionId);
    return this.db.transaction(() => {
      const row = sId === null ? undefined : this.db.prepare<[number], SuspensionRow>('SELECT * FROM suspensions WHERE id = ?').get(sId);
      if (!row) throw new NotFoundError('mod.suspension.notFound');
      if (row.lifted_at !== null || (row.ends_at !== null && row.ends_at <= now)) throw new ConflictError('mod.suspension.notActive');
      const updated = this.db.prepare<[number, number | null, number], SuspensionRow>('UPDATE suspensions SET lifted_at = ?, lifted_by = ? WHERE id = ? RETURNING *').get(now, toRowId(actorId), row.id)!;
      this.audit({ actorId, action: 'user.unsuspend', communityId: str(row.community_id), targetType: 'user', targetId: String(row.user_id), reason, before: JSON.stringify({ reason: row.reason, endsAt: row.ends_at }), now });
      return mapSuspension(updated);
    })();
  }

  async findSuspension(id: string): Promise<Suspension | null> {
    const sId = toRowId(id);
    const row = sId === null ? undefined : this.db.prepare<[number], SuspensionRow>('SELECT * FROM suspensions WHERE id = ?').get(sId);
    return row ? mapSuspension(row) : null;
  }

  async activeSuspensions(userId: string, now: number): Promise<Suspension[]> {
    const uId = toRowId(userId);
    if (uId === null) return [];
    return this.db
      .prepare<[number, number], SuspensionRow>('SELECT * FROM suspensions WHERE user_id = ? AND lifted_at IS NULL AND (ends_at IS NULL OR ends_at > ?) ORDER BY community_id IS NOT NULL, created_at DESC')
      .all(uId, now)
      .map(mapSuspension);
  }

  async saveSetting(key: string, value: string, actorId: string, now: number): Promise<void> {
    this.db.transaction(() => {
      const before = this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value ?? null;
      this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
      this.audit({ actorId, action: 'settings.update', communityId: null, targetType: 'settings', targetId: key, reason: '', before, after: value, now });
    })();
  }
}
