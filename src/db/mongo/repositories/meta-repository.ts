import type { MetaRepository } from '../../ports.js';
import type { MetaDoc } from '../models/index.js';
import { metaKeyQuery, setMetaQuery } from '../queries/accounts.js';
import { findOne, updateOne, type MongoContext } from './context.js';

export class MongoMetaRepository implements MetaRepository {
  constructor(private readonly ctx: MongoContext) {}

  async get(key: string): Promise<string | null> {
    const doc = await findOne<MetaDoc>(this.ctx.models.meta, metaKeyQuery(key));
    return doc ? doc.value : null;
  }

  async set(key: string, value: string): Promise<void> {
    await updateOne(this.ctx.models.meta, setMetaQuery(key, value));
  }
}
