import { randomBytes } from 'node:crypto';
import type { NewSynonymGroup, SynonymRepository } from '../../ports.js';
import type { SynonymGroup } from '../../../domain/types.js';
import { ConflictError, NotFoundError } from '../../../domain/errors.js';
import { idString, parseId, SEQUENCES } from '../ids.js';
import { isDuplicateKeyError } from '../connection.js';
import type { MetaDoc, SearchSynonymDoc } from '../models/index.js';
import { allSynonymsQuery, bumpSynonymVersionQuery, newSynonymDoc, synonymByIdQuery, synonymVersionQuery, updateSynonymQuery } from '../queries/synonyms.js';
import { deleteOne, findMany, findOne, findOneAndUpdate, insert, updateOne, type MongoContext } from './context.js';

/*
 * Each change is one transaction: the group document and the version token in `meta`, so a
 * reader never sees the new groups under the old version (an engine caching the groups would
 * keep the stale copy). Term uniqueness is the unique multikey index on `terms`; the
 * duplicate-key error aborts the transaction and becomes the same ConflictError as in SQLite.
 */

const map = (d: SearchSynonymDoc): SynonymGroup => ({
  id: idString(d._id),
  terms: [...d.terms],
  createdBy: idString(d.createdBy),
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

const newToken = () => `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;

/** The term the server named in its duplicate-key error ({ terms: 'wifi' }), if it did. */
function takenTerm(err: unknown): string {
  const value = (err as { keyValue?: { terms?: unknown } }).keyValue?.terms;
  return typeof value === 'string' ? value : '';
}

async function refusingTakenTerms<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new ConflictError('synonyms.terms.taken', { term: takenTerm(err) });
    throw err;
  }
}

export class MongoSynonymRepository implements SynonymRepository {
  constructor(private readonly ctx: MongoContext) {}

  async list(): Promise<SynonymGroup[]> {
    return (await findMany<SearchSynonymDoc>(this.ctx.models.searchSynonyms, allSynonymsQuery())).map(map);
  }

  async findById(id: string): Promise<SynonymGroup | null> {
    const n = parseId(id);
    if (n === null) return null;
    const doc = await findOne<SearchSynonymDoc>(this.ctx.models.searchSynonyms, synonymByIdQuery(n));
    return doc ? map(doc) : null;
  }

  async create(input: NewSynonymGroup): Promise<SynonymGroup> {
    const author = parseId(input.createdBy);
    if (author === null) throw new NotFoundError();
    const doc = newSynonymDoc(await this.ctx.reserveId(SEQUENCES.searchSynonyms), author, input);
    await refusingTakenTerms(() =>
      this.ctx.tx(async (session) => {
        await insert(this.ctx.models.searchSynonyms, [doc], session);
        await updateOne(this.ctx.models.meta, bumpSynonymVersionQuery(newToken()), session);
      }),
    );
    return map(doc);
  }

  async update(id: string, terms: string[], now: number): Promise<SynonymGroup> {
    const n = parseId(id);
    if (n === null) throw new NotFoundError();
    const doc = await refusingTakenTerms(() =>
      this.ctx.tx(async (session) => {
        const updated = await findOneAndUpdate<SearchSynonymDoc>(this.ctx.models.searchSynonyms, updateSynonymQuery(n, terms, now), session);
        if (!updated) throw new NotFoundError();
        await updateOne(this.ctx.models.meta, bumpSynonymVersionQuery(newToken()), session);
        return updated;
      }),
    );
    return map(doc);
  }

  async delete(id: string): Promise<boolean> {
    const n = parseId(id);
    if (n === null) return false;
    return this.ctx.tx(async (session) => {
      const { deletedCount } = await deleteOne(this.ctx.models.searchSynonyms, synonymByIdQuery(n), session);
      if (deletedCount === 0) return false;
      await updateOne(this.ctx.models.meta, bumpSynonymVersionQuery(newToken()), session);
      return true;
    });
  }

  async version(): Promise<string> {
    const doc = await findOne<MetaDoc>(this.ctx.models.meta, synonymVersionQuery());
    return doc?.value ?? '0';
  }
}
