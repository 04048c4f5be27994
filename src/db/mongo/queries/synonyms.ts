import type { NewSynonymGroup } from '../../ports.js';
import type { SearchSynonymDoc } from '../models/search-synonym.js';
import { text, type FindSpec, type UpdateSpec } from './spec.js';

/** The meta document whose value changes with every synonym change (see SynonymRepository.version). */
export const SYNONYM_VERSION_KEY = 'searchSynonymsVersion';

export function newSynonymDoc(id: number, createdBy: number, input: NewSynonymGroup): SearchSynonymDoc {
  return { _id: id, terms: input.terms.map(text), createdBy, createdAt: input.now, updatedAt: input.now };
}

/** Newest first, as in SQLite (ids grow with time). */
export const allSynonymsQuery = (): FindSpec => ({ filter: {}, sort: { _id: -1 } });

export const synonymByIdQuery = (id: number): FindSpec => ({ filter: { _id: id } });

/** The terms replaced whole; the unique multikey index refuses a term another group holds. */
export const updateSynonymQuery = (id: number, terms: string[], now: number): UpdateSpec => ({
  filter: { _id: id },
  update: { $set: { terms: terms.map(text), updatedAt: now } },
  options: { returnDocument: 'after' },
});

/** A fresh random token rather than a counter: meta values are strings, and any change will do. */
export const bumpSynonymVersionQuery = (token: string): UpdateSpec => ({
  filter: { _id: SYNONYM_VERSION_KEY },
  update: { $set: { value: text(token) } },
  options: { upsert: true },
});

export const synonymVersionQuery = (): FindSpec => ({ filter: { _id: SYNONYM_VERSION_KEY } });
