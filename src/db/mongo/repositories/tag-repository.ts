import type { TagRepository } from '../../ports.js';
import type { Tag } from '../../../domain/qa-types.js';
import { parseId } from '../ids.js';
import { mapTag } from '../mappers.js';
import type { TagDoc } from '../models/index.js';
import { popularTagsQuery, tagByNameQuery } from '../queries/qa.js';
import { findMany, findOne, type MongoContext } from './context.js';

export class MongoTagRepository implements TagRepository {
  constructor(private readonly ctx: MongoContext) {}

  async popular(communityId: string, limit: number): Promise<Tag[]> {
    const c = parseId(communityId);
    if (c === null) return [];
    return (await findMany<TagDoc>(this.ctx.models.tags, popularTagsQuery(c, limit))).map(mapTag);
  }

  async find(communityId: string, name: string): Promise<Tag | null> {
    const c = parseId(communityId);
    if (c === null) return null;
    const doc = await findOne<TagDoc>(this.ctx.models.tags, tagByNameQuery(c, name));
    return doc ? mapTag(doc) : null;
  }
}
