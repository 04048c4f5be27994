import { Schema } from 'mongoose';
import { countField, idField, nullableIdField, schemaOptions, textField, timeField } from './common.js';

export interface SearchClickDoc {
  docId: string;
  position: number;
  createdAt: number;
}

/**
 * One logged search. Its clicks are embedded (capped, see SEARCH_CLICKS_KEPT) so that
 * recording a click is a single-document update: no transaction needed.
 */
export interface SearchLogDoc {
  _id: number;
  query: string;
  normalized: string;
  communityId: number | null;
  filters: string;
  hitCount: number;
  clickCount: number;
  userHash: string;
  /** Salted hash of the browser id cookie (null when the browser had none, or before it was kept). */
  browserHash?: string | null;
  clicks: SearchClickDoc[];
  createdAt: number;
}

export const SEARCH_LOG_MODEL = 'SearchLog';
/** Clicks kept per search; clickCount keeps counting beyond it. */
export const SEARCH_CLICKS_KEPT = 50;

const clickSchema = new Schema<SearchClickDoc>(
  {
    docId: { type: String, required: true, maxlength: 200 },
    position: { type: Number, required: true, min: 0 },
    createdAt: timeField,
  },
  { _id: false, versionKey: false, strict: 'throw' },
);

export const searchLogSchema = new Schema<SearchLogDoc>(
  {
    _id: idField,
    query: textField,
    normalized: textField,
    communityId: nullableIdField,
    filters: textField,
    hitCount: { ...countField, min: 0 },
    clickCount: countField,
    userHash: textField,
    browserHash: { type: String, default: null },
    clicks: { type: [clickSchema], default: [] },
    createdAt: timeField,
  },
  schemaOptions('searchLog'),
);

searchLogSchema.index({ communityId: 1, createdAt: 1 }, { name: 'search_log_community' });
// Suggested synonyms: a community's empty searches newest first, with the _id tie-break (no in-memory sort).
searchLogSchema.index({ communityId: 1, createdAt: 1, _id: 1 }, { name: 'search_log_community_time_id' });
searchLogSchema.index({ createdAt: 1 }, { name: 'search_log_time' });
// Suggested synonyms: a browser's searches in time order.
searchLogSchema.index({ browserHash: 1, createdAt: 1, _id: 1 }, { name: 'search_log_browser', partialFilterExpression: { browserHash: { $type: 'string' } } });
