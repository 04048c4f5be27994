import { withBuiltInSynonyms } from '../builtin-synonyms.js';
import { unspacedTerm } from '../text.js';

/*
 * Synonym groups as Meilisearch's `synonyms` setting: every term maps to all the others of
 * its group (Meilisearch's "multi-way" synonyms; a one-way entry would make "wifi" find
 * "wlan" but not the reverse). Terms are already folded; phrase terms ("wi fi") are
 * multi-word synonyms, which Meilisearch matches as consecutive query words. Chinese goes
 * without the spaces Intl.Segmenter put in ("路由器", not "路 由 器"): Meilisearch segments
 * Chinese itself, in queries and synonyms alike, and may cut it differently.
 */
export type MeiliSynonyms = Record<string, string[]>;

export function toMeiliSynonyms(groups: ReadonlyArray<{ terms: readonly string[] }>): MeiliSynonyms {
  const out: MeiliSynonyms = {};
  for (const group of groups) {
    const terms = [...new Set(group.terms.map(unspacedTerm))];
    for (const term of terms) {
      const others = terms.filter((t) => t !== term);
      if (others.length > 0) out[term] = others;
    }
  }
  return out;
}

/**
 * What the index gets for the admin's groups: those groups and the built-in pairs (怎么/如何,
 * cannot/can't ...) under them, merged exactly as the embedded engine merges them, so both
 * engines match the same variants (an admin's group wins for a term both hold).
 */
export function meiliSynonymsFor(adminGroups: ReadonlyArray<{ terms: readonly string[] }>): MeiliSynonyms {
  return toMeiliSynonyms(withBuiltInSynonyms(adminGroups));
}
