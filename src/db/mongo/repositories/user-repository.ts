import type { NewUser, UserRepository } from '../../ports.js';
import type { AuthorProfile, User } from '../../../domain/types.js';
import { ConflictError } from '../../../domain/errors.js';
import { idString, parseId, parseIds, SEQUENCES } from '../ids.js';
import { duplicateKeyFields, isDuplicateKeyError } from '../connection.js';
import { mapUser } from '../mappers.js';
import type { UserDoc } from '../models/index.js';
import { newUserDoc, sessionsOfUserQuery, setAdminQuery, setPasswordQuery, userByEmailQuery, userBySkeletonQuery, userByUsernameQuery, usersByIdsQuery, authorsByIdsQuery } from '../queries/accounts.js';
import { countDocuments, deleteMany, findMany, findOne, insert, updateOne, type MongoContext } from './context.js';

export class MongoUserRepository implements UserRepository {
  constructor(private readonly ctx: MongoContext) {}

  async create(input: NewUser): Promise<User> {
    const doc = newUserDoc(await this.ctx.reserveId(SEQUENCES.users), input, Date.now());
    try {
      // A single insert; the unique indexes on usernameKey/emailKey refuse duplicates in any letter case.
      await insert(this.ctx.models.users, [doc]);
    } catch (err) {
      if (isDuplicateKeyError(err)) {
        throw new ConflictError(duplicateKeyFields(err).some((f) => f.includes('email')) ? 'validation.emailTaken' : 'validation.usernameTaken');
      }
      throw err;
    }
    return mapUser(doc);
  }

  async findById(id: string): Promise<User | null> {
    const n = parseId(id);
    if (n === null) return null;
    const doc = await findOne<UserDoc>(this.ctx.models.users, { filter: { _id: n } });
    return doc ? mapUser(doc) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const doc = await findOne<UserDoc>(this.ctx.models.users, userByUsernameQuery(username));
    return doc ? mapUser(doc) : null;
  }

  async findByUsernameSkeleton(username: string): Promise<User | null> {
    const doc = await findOne<UserDoc>(this.ctx.models.users, userBySkeletonQuery(username));
    return doc ? mapUser(doc) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const doc = await findOne<UserDoc>(this.ctx.models.users, userByEmailQuery(email));
    return doc ? mapUser(doc) : null;
  }

  async authorsByIds(ids: string[]): Promise<AuthorProfile[]> {
    const n = parseIds(ids);
    if (n.length === 0) return [];
    return (await findMany<UserDoc>(this.ctx.models.users, authorsByIdsQuery(n))).map((d) => ({
      id: idString(d._id),
      username: d.username,
      displayName: d.displayName,
      reputation: d.reputation ?? 0,
    }));
  }

  async findManyByIds(ids: string[]): Promise<User[]> {
    const n = parseIds(ids);
    if (n.length === 0) return [];
    return (await findMany<UserDoc>(this.ctx.models.users, usersByIdsQuery(n))).map(mapUser);
  }

  /** Transaction: the new hash and the end of every old session must happen together. */
  async updatePasswordAndRevokeSessions(userId: string, passwordHash: string): Promise<void> {
    const n = parseId(userId);
    if (n === null) return;
    await this.ctx.tx(async (session) => {
      await updateOne(this.ctx.models.users, setPasswordQuery(n, passwordHash), session);
      await deleteMany(this.ctx.models.sessions, sessionsOfUserQuery(n), session);
    });
  }

  async setAdmin(userId: string, isAdmin: boolean): Promise<void> {
    const n = parseId(userId);
    if (n === null) return;
    await updateOne(this.ctx.models.users, setAdminQuery(n, isAdmin));
  }

  async count(): Promise<number> {
    return countDocuments(this.ctx.models.users, { filter: {} });
  }
}
