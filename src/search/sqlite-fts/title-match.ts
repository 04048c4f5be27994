import { fold, isCjkToken } from '../text.js';
import type { PlannedWord } from './query-plan.js';

/*
 * How well a title answers the query, for the best few candidates (the engine's rerank): a
 * title is what a person writes when asking, so a paraphrase shares more with the title of
 * the question it means than with a long body that happens to use the same words. Two
 * signals, both in [0, 1] (Meilisearch's "attribute" and "proximity" rules, as scores):
 * - title coverage: the share of the query's weight found in the title, where a word's
 *   weight is its idf, so very common words ("quantum", "how", "的") count a little instead
 *   of nothing (their postings are never read: only the titles of the best candidates are);
 * - proximity: the share of neighbouring query-word pairs that stand next to each other (at
 *   most one word apart, in order) in the title: "quantum gates" in a title says more than
 *   "quantum" and "gates" anywhere.
 * An answer is judged by its question's title, the title it is listed under; tags count as
 * part of the title.
 */

export interface TitleMatch {
  coverage: number;
  proximity: number;
}

/** How each query word is recognised in a title: its own forms with their match quality. */
export interface TitleWord {
  weight: number;
  /** Non-CJK: token sequences (one token for a word, several for a phrase synonym) and quality. */
  forms: Array<{ tokens: string[]; quality: number }>;
  /** CJK: substrings of the folded title (the word and its synonyms). */
  substrings: string[];
  /** The word is the last one, still being typed: a title word starting with it matches too. */
  prefix: string | null;
}

const STEM_QUALITY = 0.85;
const TYPO_QUALITY = 0.5;
const PREFIX_QUALITY = 0.8;
/** Words between two neighbouring query words that still count as near (one: "gates of a" no). */
const NEAR_GAP = 1;
/** For unspaced scripts: characters allowed between two neighbouring query words. */
const NEAR_GAP_CHARS = 2;

export function titleWords(words: readonly PlannedWord[], weights: readonly number[]): TitleWord[] {
  return words.map((w, i) => {
    const terms = [w.token, ...w.synonyms];
    const cjk = terms.filter((t) => t.split(' ').every(isCjkToken)).map((t) => t.replace(/ /g, ''));
    const forms: TitleWord['forms'] = [];
    for (const t of terms) if (!t.split(' ').every(isCjkToken)) forms.push({ tokens: t.split(' '), quality: 1 });
    for (const f of w.forms) forms.push({ tokens: [f], quality: STEM_QUALITY });
    for (const v of w.variants) forms.push({ tokens: [v], quality: TYPO_QUALITY });
    return { weight: weights[i]!, forms, substrings: cjk, prefix: w.prefix ? w.token : null };
  });
}

/**
 * A title as matching needs it: folded text (for CJK substrings) and its letter-digit tokens,
 * then the tags (what the asker filed the question under), after a break that no neighbouring
 * pair spans.
 */
export function titleText(title: string, tags = ''): TitleText {
  // Folded once each (fold() normalises non-ASCII text, the costly part for Chinese titles).
  const foldedTitle = fold(title);
  const foldedTags = fold(tags);
  const words = (folded: string) => folded.match(/[\p{L}\p{N}]+/gu) ?? [];
  const tokens = [...words(foldedTitle), '', '', ...words(foldedTags)];
  const folded = `${foldedTitle}\u0000\u0000\u0000${foldedTags}`;
  return { folded: isCjkToken(folded) ? folded : null, words: `${SEP}${tokens.join(SEP)}${SEP}` };
}

/** Between tokens in TitleText.words: tokens are letters and digits only. */
const SEP = '\u0001';

/**
 * A title as two strings (titles are kept for many searches: one string per token and a Map
 * per title took about 770 bytes a title, these about a third of that).
 */
export interface TitleText {
  /** Folded title and tags (for Chinese words, matched as substrings); null without any such character, where none can match. */
  folded: string | null;
  /** The title's tokens, two empty tokens as the break, then the tags' tokens, each between SEPs. */
  words: string;
}

/** The token position of the token starting right after the SEP at `at` in `words`. */
function tokenIndex(words: string, at: number): number {
  let n = 0;
  for (let i = words.indexOf(SEP); i !== -1 && i < at; i = words.indexOf(SEP, i + 1)) n++;
  return n;
}

interface Found {
  quality: number;
  /** Token positions (non-CJK) or character offsets (CJK) where the word starts and ends. */
  start: number;
  end: number;
  cjk: boolean;
}

function findIn(word: TitleWord, title: TitleText): Found | null {
  let best: Found | null = null;
  if (title.folded !== null) {
    for (const s of word.substrings) {
      const at = title.folded.indexOf(s);
      if (at >= 0) return { quality: 1, start: at, end: at + s.length, cjk: true };
    }
  }
  const { words } = title;
  for (const form of word.forms) {
    if (best && best.quality >= form.quality) continue;
    // '' is the break between title and tags, never a word.
    if (form.tokens[0] === '') continue;
    // The first place the form's tokens stand one after the other.
    const at = words.indexOf(`${SEP}${form.tokens.join(SEP)}${SEP}`);
    if (at === -1) continue;
    const start = tokenIndex(words, at);
    best = { quality: form.quality, start, end: start + form.tokens.length, cjk: false };
  }
  if (!best && word.prefix) {
    const at = words.indexOf(`${SEP}${word.prefix}`);
    if (at >= 0) {
      const start = tokenIndex(words, at);
      best = { quality: PREFIX_QUALITY, start, end: start + 1, cjk: false };
    }
  }
  return best;
}

export function matchTitle(words: readonly TitleWord[], title: TitleText): TitleMatch {
  let total = 0;
  let covered = 0;
  const found = words.map((w) => {
    const f = findIn(w, title);
    total += w.weight;
    if (f) covered += w.weight * f.quality;
    return f;
  });
  let pairs = 0;
  let near = 0;
  for (let i = 0; i + 1 < words.length; i++) {
    const pairWeight = Math.min(words[i]!.weight, words[i + 1]!.weight);
    pairs += pairWeight;
    const a = found[i];
    const b = found[i + 1];
    if (!a || !b || a.cjk !== b.cjk) continue;
    const gap = b.start - a.end;
    if (gap >= 0 && gap <= (a.cjk ? NEAR_GAP_CHARS : NEAR_GAP)) near += pairWeight * Math.min(a.quality, b.quality);
  }
  return { coverage: total > 0 ? covered / total : 0, proximity: pairs > 0 ? near / pairs : 0 };
}
