import type { Locale, SynonymGroup } from '../domain/types.js';
import { SYNONYM_MAX_TERM_CHARS, SYNONYM_MAX_TERMS, SYNONYM_MIN_TERMS } from '../domain/synonym-rules.js';
import type { SynonymGroupView } from '../services/search/synonym-service.js';
import { unspacedTerm } from '../search/text.js';
import { timeView } from './time.js';

/*
 * View models for the site admins' synonym pages. The form gets back exactly what was typed
 * (with the messages) when it is refused; a stored group is shown as its folded terms (what
 * search compares with), Chinese without the spaces its word segmentation put in.
 */

export const SYNONYMS_URL = '/admin/search/synonyms';
export const SYNONYM_DONE = ['created', 'updated', 'deleted'] as const;
export type SynonymDone = (typeof SYNONYM_DONE)[number];

export interface SynonymForm {
  values: { terms: string };
  errors: Record<string, string>;
}

export const synonymEditUrl = (id: string) => `${SYNONYMS_URL}/${id}/edit`;
export const synonymUrl = (id: string) => `${SYNONYMS_URL}/${id}`;
export const synonymDeleteUrl = (id: string) => `${SYNONYMS_URL}/${id}/delete`;

/**
 * Where the FAQ gaps report sends an admin: the add form, started with the query. No
 * #fragment: browsers skip autofocus on a page opened at a fragment, and the focused field
 * is what brings the form into view.
 */
export function addSynonymUrl(term: string): string {
  return `${SYNONYMS_URL}?term=${encodeURIComponent(term)}`;
}

/** The text of the terms field for a stored group. */
export const termsText = (group: SynonymGroup) => group.terms.map(unspacedTerm).join(', ');

const limits = { min: SYNONYM_MIN_TERMS, max: SYNONYM_MAX_TERMS, chars: SYNONYM_MAX_TERM_CHARS };

/** The add form, empty or started with a query from the gaps report (the admin types the other words after it). */
export function newSynonymForm(fromGap: string | null): SynonymForm {
  return { values: { terms: fromGap ? `${fromGap}, ` : '' }, errors: {} };
}

export function synonymListView(
  groups: SynonymGroupView[],
  options: { locale: Locale; form: SynonymForm; fromGap: string | null; done: SynonymDone | null; pending: boolean },
) {
  return {
    groups: groups.map(({ group, author }) => ({
      id: group.id,
      anchor: `synonym-${group.id}`,
      terms: group.terms.map(unspacedTerm),
      author: author ? { username: author.username, url: `/u/${encodeURIComponent(author.username)}` } : null,
      updated: timeView(group.updatedAt, options.locale),
      editUrl: synonymEditUrl(group.id),
      deleteUrl: synonymDeleteUrl(group.id),
    })),
    form: { ...options.form, action: SYNONYMS_URL },
    fromGap: options.fromGap,
    done: options.done,
    pending: options.pending,
    limits,
    nav: 'synonyms',
  };
}

export function synonymEditView(group: SynonymGroup, form: SynonymForm | null) {
  return {
    id: group.id,
    form: { ...(form ?? { values: { terms: termsText(group) }, errors: {} }), action: synonymUrl(group.id) },
    deleteUrl: synonymDeleteUrl(group.id),
    backUrl: SYNONYMS_URL,
    limits,
    nav: 'synonyms',
  };
}
