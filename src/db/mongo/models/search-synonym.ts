import { Schema } from 'mongoose';
import { SYNONYM_MAX_TERMS, SYNONYM_MIN_TERMS } from '../../../domain/synonym-rules.js';
import { idField, schemaOptions, timeField } from './common.js';

/*
 * A site-wide synonym group with its folded terms embedded. The unique index on `terms` is
 * multikey: no two groups can hold the same term, checked by the server on every insert and
 * update (a single-document write), so racing admins cannot put one word in two groups.
 */
export interface SearchSynonymDoc {
  _id: number;
  terms: string[];
  createdBy: number;
  createdAt: number;
  updatedAt: number;
}

export const SEARCH_SYNONYM_MODEL = 'SearchSynonym';

const termList = {
  validator: (v: unknown) =>
    Array.isArray(v) && v.length >= SYNONYM_MIN_TERMS && v.length <= SYNONYM_MAX_TERMS && v.every((t) => typeof t === 'string' && t !== '' && t.length <= 160) && new Set(v).size === v.length,
  message: `{PATH} must hold ${SYNONYM_MIN_TERMS} to ${SYNONYM_MAX_TERMS} distinct, non-empty terms`,
};

export const searchSynonymSchema = new Schema<SearchSynonymDoc>(
  {
    _id: idField,
    terms: { type: [String], required: true, validate: termList },
    createdBy: idField,
    createdAt: timeField,
    updatedAt: timeField,
  },
  schemaOptions('searchSynonyms'),
);

searchSynonymSchema.index({ terms: 1 }, { unique: true, name: 'search_synonyms_term_unique' });
