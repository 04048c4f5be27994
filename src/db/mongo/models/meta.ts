import { Schema } from 'mongoose';
import { schemaOptions } from './common.js';

export interface MetaDoc {
  _id: string;
  value: string;
}

export const META_MODEL = 'Meta';

export const metaSchema = new Schema<MetaDoc>(
  {
    _id: { type: String, required: true },
    value: { type: String, default: '' },
  },
  schemaOptions('meta'),
);
