import type { SessionRepository } from '../../ports.js';
import type { Session, User } from '../../../domain/types.js';
import { parseId } from '../ids.js';
import { mapUser } from '../mappers.js';
import type { SessionDoc, UserDoc } from '../models/index.js';
import { expiredSessionsQuery, newSessionDoc, sessionByIdQuery, sessionsOfUserQuery, touchSessionQuery } from '../queries/accounts.js';
import { deleteMany, deleteOne, findOne, insert, updateOne, type MongoContext } from './context.js';

export class MongoSessionRepository implements SessionRepository {
  constructor(private readonly ctx: MongoContext) {}

  async create(session: Session): Promise<void> {
    const userId = parseId(session.userId);
    if (userId === null) throw new Error('Invalid user id for session');
    await insert(this.ctx.models.sessions, [newSessionDoc(session, userId)]);
  }

  async findWithUser(sessionId: string): Promise<{ session: Session; user: User } | null> {
    if (typeof sessionId !== 'string' || sessionId === '') return null;
    const s = await findOne<SessionDoc>(this.ctx.models.sessions, sessionByIdQuery(sessionId));
    if (!s) return null;
    const u = await findOne<UserDoc>(this.ctx.models.users, { filter: { _id: s.userId } });
    if (!u) return null;
    return { session: { id: s._id, userId: String(s.userId), expiresAt: s.expiresAt, createdAt: s.createdAt }, user: mapUser(u) };
  }

  async updateExpiry(sessionId: string, expiresAt: number): Promise<void> {
    await updateOne(this.ctx.models.sessions, touchSessionQuery(sessionId, expiresAt));
  }

  async delete(sessionId: string): Promise<void> {
    await deleteOne(this.ctx.models.sessions, sessionByIdQuery(sessionId));
  }

  async deleteAllForUser(userId: string): Promise<void> {
    const n = parseId(userId);
    if (n === null) return;
    await deleteMany(this.ctx.models.sessions, sessionsOfUserQuery(n));
  }

  async deleteExpired(now: number): Promise<number> {
    return (await deleteMany(this.ctx.models.sessions, expiredSessionsQuery(now))).deletedCount ?? 0;
  }
}
