/*
 * The query sets of the relevance suite. Hand-written sets come from test/fixtures/relevance
 * (written by people, never generated); the others are derived from the documents by fixed
 * rules, so they are the same on every run: the duplicate links of the dump, keywords of a
 * question's body, its tags, and one typo in its title.
 */
import type { SourceQuestion, StackExchangeData } from './dataset.js';
import { readFixture } from './dataset.js';

export type QueryKind = 'duplicate' | 'paraphrase-en' | 'support-en' | 'keywords' | 'tags' | 'typo' | 'paraphrase-zh' | 'faq-en' | 'faq-zh' | 'paraphrase-zh-dense' | 'zh-dense-held-out';
export const QUERY_KINDS: readonly QueryKind[] = ['duplicate', 'paraphrase-en', 'support-en', 'keywords', 'tags', 'typo', 'paraphrase-zh', 'faq-en', 'faq-zh', 'paraphrase-zh-dense', 'zh-dense-held-out'];

export interface RelevanceQuery {
  kind: QueryKind;
  q: string;
  /** Source keys of the questions that answer it (any one counts). */
  expected: string[];
  /** A thread left out of the ranking (a duplicate must find its original, not itself). */
  exclude?: string;
}

const STOP = new Set('about above after again against also among another because been before being below between both could does doing down during each either even every from further have having here into itself just like more most much must need only other over same should since some such than that their them then there these they this those through under until very what when where which while will with within would your yours quantum'.split(' '));

function asciiWords(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}

/** Up to four distinctive words of the body that the title does not use, in body order. */
function bodyKeywords(q: SourceQuestion, df: Map<string, number>, total: number): string[] {
  const title = new Set(asciiWords(q.title));
  const tf = new Map<string, number>();
  for (const w of asciiWords(q.body)) if (w.length >= 4 && !STOP.has(w) && !title.has(w)) tf.set(w, (tf.get(w) ?? 0) + 1);
  const scored = [...tf.entries()]
    .filter(([w]) => (df.get(w) ?? 0) >= 2 && (df.get(w) ?? 0) <= 40)
    .map(([w, n]) => ({ w, s: (1 + Math.log(n)) * Math.log(total / (df.get(w) ?? 1)) }))
    .sort((a, b) => b.s - a.s || (a.w < b.w ? -1 : 1))
    .slice(0, 4)
    .map((x) => x.w);
  const order = asciiWords(q.body);
  return scored.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** One typo in the title's longest word of five letters or more (not in its first letter). */
export function withTypo(title: string, seed: number): string | null {
  const words = title.match(/[A-Za-z]{5,}/g);
  if (!words) return null;
  const word = [...words].sort((a, b) => b.length - a.length)[0]!;
  const chars = [...word];
  const at = 1 + (seed % (chars.length - 2));
  const kind = seed % 3;
  if (kind === 0 && chars[at] !== chars[at + 1]) [chars[at], chars[at + 1]] = [chars[at + 1]!, chars[at]!];
  else if (kind === 1) chars.splice(at, 1);
  else chars[at] = chars[at] === 'e' ? 'a' : 'e';
  const typo = chars.join('');
  return typo === word ? null : title.replace(word, typo);
}

export function buildQueries(se: StackExchangeData | null, zhKeys: ReadonlySet<string>, enKeys: ReadonlySet<string>): RelevanceQuery[] {
  const out: RelevanceQuery[] = [];
  if (se) {
    const byKey = new Map(se.questions.map((q) => [q.key, q]));
    for (const d of se.duplicates) out.push({ kind: 'duplicate', q: byKey.get(d.duplicate)!.title, expected: [d.original], exclude: d.duplicate });

    for (const p of readFixture<Array<{ query: string; expected: Array<string | number> }>>('qc-paraphrases.json') ?? []) {
      out.push({ kind: 'paraphrase-en', q: p.query, expected: p.expected.map(String) });
    }

    const df = new Map<string, number>();
    for (const q of se.questions) for (const w of new Set(asciiWords(`${q.title} ${q.body}`))) df.set(w, (df.get(w) ?? 0) + 1);
    se.questions.forEach((q, i) => {
      if (i % 12 !== 0) return;
      const words = bodyKeywords(q, df, se.questions.length);
      if (words.length >= 3) out.push({ kind: 'keywords', q: words.join(' '), expected: [q.key] });
    });

    // Tags: a question whose tag set no other question contains, so it alone has all of them.
    const sets = se.questions.map((q) => new Set(q.tags));
    se.questions.forEach((q, i) => {
      if (q.tags.length < 2 || i % 6 !== 0) return;
      const covered = sets.some((s, j) => j !== i && q.tags.every((t) => s.has(t)));
      if (!covered) out.push({ kind: 'tags', q: q.tags.join(' '), expected: [q.key] });
    });

    se.questions.forEach((q, i) => {
      if (i % 10 !== 0) return;
      const typo = withTypo(q.title, i * 7 + 3);
      if (typo) out.push({ kind: 'typo', q: typo, expected: [q.key] });
    });
  }

  for (const z of readFixture<Array<{ query: string; expected: string[] }>>('zh-queries.json') ?? []) {
    if (z.expected.every((k) => zhKeys.has(k))) out.push({ kind: 'paraphrase-zh', q: z.query, expected: z.expected });
  }
  for (const z of readFixture<{ queries?: Array<{ query: string; expected: string[] }> }>('en-extra.json')?.queries ?? []) {
    if (z.expected.every((k) => enKeys.has(k))) out.push({ kind: 'support-en', q: z.query, expected: z.expected });
  }
  const faq = readFixture<{ en?: Array<{ question: string | number; query: string }>; zh?: Array<{ question: string; query: string }> }>('faq-paraphrases.json');
  for (const f of faq?.en ?? []) if (se) out.push({ kind: 'faq-en', q: f.query, expected: [String(f.question)] });
  for (const f of faq?.zh ?? []) if (zhKeys.has(f.question)) out.push({ kind: 'faq-zh', q: f.query, expected: [f.question] });
  return out;
}

/**
 * The queries of zh-dense.json (its questions live in their own store): the ones written
 * before any tuning are 'paraphrase-zh-dense'; the ones written afterwards ("heldOut") are
 * reported on their own row, as the held-out measurement of that tuning.
 */
export function buildDenseQueries(keys: ReadonlySet<string>): RelevanceQuery[] {
  const list = readFixture<{ queries?: Array<{ query: string; expected: string[]; heldOut?: boolean }> }>('zh-dense.json')?.queries ?? [];
  return list
    .filter((z) => z.expected.every((k) => keys.has(k)))
    .map((z) => ({ kind: z.heldOut ? ('zh-dense-held-out' as const) : ('paraphrase-zh-dense' as const), q: z.query, expected: z.expected }));
}

/** The questions the FAQ paraphrases are about: they are promoted to FAQ entries first. */
export function promotedQuestions(): Array<{ key: string; language: 'en' | 'zh' }> {
  const faq = readFixture<{ en?: Array<{ question: string | number }>; zh?: Array<{ question: string }> }>('faq-paraphrases.json');
  return [...(faq?.en ?? []).map((f) => ({ key: String(f.question), language: 'en' as const })), ...(faq?.zh ?? []).map((f) => ({ key: f.question, language: 'zh' as const }))];
}
