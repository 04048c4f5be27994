import type { CommunityRepository, CommunityUpdate, NewCommunity } from '../../ports.js';
import type { Community } from '../../../domain/types.js';
import { ConflictError, NotFoundError } from '../../../domain/errors.js';
import { parseId, searchDocIdOf, SEQUENCES } from '../ids.js';
import { isDuplicateKeyError } from '../connection.js';
import { mapCommunity } from '../mappers.js';
import type { CommunityDoc, FaqEntryDoc, PostDoc } from '../models/index.js';
import { communityBySlugQuery, compareNoCase, newCommunityDoc, updateCommunityQuery } from '../queries/accounts.js';
import { communityEntryIdsQuery, communityPostIdsQuery } from '../queries/search-documents.js';
import { findMany, findOne, findOneAndUpdate, insert, type MongoContext } from './context.js';

export class MongoCommunityRepository implements CommunityRepository {
  constructor(private readonly ctx: MongoContext) {}

  async create(input: NewCommunity): Promise<Community> {
    const doc = newCommunityDoc(await this.ctx.reserveId(SEQUENCES.communities), input, Date.now());
    try {
      await insert(this.ctx.models.communities, [doc]);
    } catch (err) {
      if (isDuplicateKeyError(err)) throw new ConflictError('community.slugTaken');
      throw err;
    }
    return mapCommunity(doc);
  }

  async update(id: string, changes: CommunityUpdate): Promise<Community> {
    const n = parseId(id);
    if (n === null) throw new NotFoundError();
    if (changes.name === undefined) {
      const doc = await findOneAndUpdate<CommunityDoc>(this.ctx.models.communities, updateCommunityQuery(n, changes, Date.now()));
      if (!doc) throw new NotFoundError();
      return mapCommunity(doc);
    }
    // Transaction: every search document repeats the community's name, so a rename writes
    // the outbox entries of its posts and FAQ entries with the new name.
    return this.ctx.tx(async (session) => {
      const before = await findOne<CommunityDoc>(this.ctx.models.communities, { filter: { _id: n }, projection: { name: 1 } }, session);
      if (!before) throw new NotFoundError();
      const doc = await findOneAndUpdate<CommunityDoc>(this.ctx.models.communities, updateCommunityQuery(n, changes, Date.now()), session);
      if (!doc) throw new NotFoundError();
      if (before.name !== doc.name) {
        const [posts, entries] = [
          await findMany<PostDoc>(this.ctx.models.posts, communityPostIdsQuery(n), session),
          await findMany<FaqEntryDoc>(this.ctx.models.faqEntries, communityEntryIdsQuery(n), session),
        ];
        await this.ctx.enqueueSearch([...posts.map((p) => searchDocIdOf(p.type, p._id)), ...entries.map((e) => searchDocIdOf('faq', e._id))], session);
      }
      return mapCommunity(doc);
    });
  }

  async findBySlug(slug: string): Promise<Community | null> {
    const doc = await findOne<CommunityDoc>(this.ctx.models.communities, communityBySlugQuery(slug));
    return doc ? mapCommunity(doc) : null;
  }

  async findById(id: string): Promise<Community | null> {
    const n = parseId(id);
    if (n === null) return null;
    const doc = await findOne<CommunityDoc>(this.ctx.models.communities, { filter: { _id: n } });
    return doc ? mapCommunity(doc) : null;
  }

  async list(): Promise<Community[]> {
    const docs = await findMany<CommunityDoc>(this.ctx.models.communities, { filter: {} });
    return docs.map(mapCommunity).sort((a, b) => compareNoCase(a.name, b.name));
  }
}
