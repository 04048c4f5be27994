import { Rng, Zipf } from './prng.js';
import {
  EN_ADJECTIVES,
  EN_NOUNS,
  EN_QUESTION_TEMPLATES,
  EN_SENTENCES,
  EN_TIMES,
  EN_VERBS,
  RARE_WORDS,
  RESERVED_RARE_CHARS,
  SYLLABLES,
  ZH_ADJECTIVES,
  ZH_CHARS,
  ZH_NOUNS,
  ZH_QUESTION_TEMPLATES,
  ZH_SENTENCES,
  ZH_TIMES,
  ZH_VERBS,
  EN_TAGS,
  ZH_TAGS,
} from './words.js';

export type Lang = 'en' | 'zh';

export interface Body {
  md: string;
  html: string;
  text: string;
}

const JARGON_EN = 20_000;
const JARGON_ZH = 2_000;

/*
 * Made-up technical words with a Zipf-like frequency: the first few are everywhere, the
 * last ones occur in a handful of posts, which gives search benchmarks both common and
 * rare terms without a dictionary. Rank -> word is a fixed bijection, so it is stable.
 */
function jargonEn(rank: number): string {
  const n = SYLLABLES.length;
  let x = (rank * 7919 + 13) % (n * n * n);
  let word = '';
  for (let i = 0; i < 3; i++) {
    word += SYLLABLES[x % n];
    x = Math.floor(x / n);
  }
  return word;
}

function jargonZh(rank: number): string {
  const n = ZH_CHARS.length;
  const x = (rank * 1021 + 7) % (n * n);
  return ZH_CHARS[x % n] + ZH_CHARS[Math.floor(x / n)];
}

export function assertWordListsAreSafe(): void {
  const all = [
    ...EN_NOUNS, ...EN_VERBS, ...EN_ADJECTIVES, ...EN_TIMES, ...EN_QUESTION_TEMPLATES, ...EN_SENTENCES,
    ...ZH_NOUNS, ...ZH_VERBS, ...ZH_ADJECTIVES, ...ZH_TIMES, ...ZH_QUESTION_TEMPLATES, ...ZH_SENTENCES,
    ...ZH_CHARS, ...EN_TAGS, ...ZH_TAGS, ...SYLLABLES,
  ].join(' ');
  for (const ch of RESERVED_RARE_CHARS) if (all.includes(ch)) throw new Error(`word lists contain the reserved character ${ch}`);
  if (/[&<>"'*_`#]/.test(all.replace(/\{[A-Z]\}/g, ''))) throw new Error('word lists contain characters that Markdown or HTML would change');
  for (let r = 0; r < JARGON_EN; r++) {
    const w = jargonEn(r);
    if (w.includes('zebra') || w.includes('quokka')) throw new Error(`jargon word ${w} collides with a rare word`);
  }
  if (new Set(Array.from({ length: JARGON_EN }, (_, r) => jargonEn(r))).size !== JARGON_EN) throw new Error('jargon words are not unique');
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Renders Markdown blocks the way marked + sanitize-html render this restricted subset. */
class BodyBuilder {
  private readonly md: string[] = [];
  private readonly html: string[] = [];
  private readonly text: string[] = [];

  paragraph(md: string, html: string, text: string): void {
    this.md.push(md);
    this.html.push(`<p>${html}</p>`);
    this.text.push(text);
  }

  list(items: string[]): void {
    this.md.push(items.map((i) => `- ${i}`).join('\n'));
    this.html.push(`<ul>\n${items.map((i) => `<li>${i}</li>`).join('\n')}\n</ul>`);
    this.text.push(items.join(' '));
  }

  code(lang: string, lines: string[]): void {
    this.md.push('```' + lang + '\n' + lines.join('\n') + '\n```');
    this.html.push(`<pre><code class="language-${lang}">${lines.join('\n')}\n</code></pre>`);
    this.text.push(lines.join(' '));
  }

  build(): Body {
    return {
      md: this.md.join('\n\n'),
      html: this.html.join('\n'),
      text: this.text.join(' ').replace(/\s+/g, ' ').trim(),
    };
  }
}

/** One sentence as Markdown, HTML and plain text (they differ only for inline code). */
interface Piece {
  md: string;
  html: string;
  text: string;
}

export class TextGenerator {
  private readonly nounZ = new Zipf(EN_NOUNS.length, 0.9);
  private readonly verbZ = new Zipf(EN_VERBS.length, 0.9);
  private readonly adjZ = new Zipf(EN_ADJECTIVES.length, 0.9);
  private readonly zhNounZ = new Zipf(ZH_NOUNS.length, 0.9);
  private readonly zhVerbZ = new Zipf(ZH_VERBS.length, 0.9);
  private readonly zhAdjZ = new Zipf(ZH_ADJECTIVES.length, 0.9);
  private readonly jargonEnZ = new Zipf(JARGON_EN, 1.05);
  private readonly jargonZhZ = new Zipf(JARGON_ZH, 1.05);
  private readonly tagZ: Zipf;

  constructor(
    private readonly rng: Rng,
    tagVocabularySize: number,
  ) {
    this.tagZ = new Zipf(Math.max(1, tagVocabularySize), 1.0);
  }

  private jargon(lang: Lang): string {
    if (lang === 'zh' && this.rng.chance(0.5)) return jargonZh(this.jargonZhZ.sample(this.rng));
    return jargonEn(this.jargonEnZ.sample(this.rng));
  }

  /** Fills {N} {V} {A} {T} {E} {J} slots; {J} may become inline code. */
  private fill(template: string, lang: Lang, tags: readonly string[], vocab: readonly string[], allowCode: boolean): Piece {
    let md = '';
    let html = '';
    let text = '';
    const parts = template.split(/(\{[A-Z]\})/);
    for (const part of parts) {
      let word: string;
      let code = false;
      switch (part) {
        case '{N}':
          word = lang === 'en' ? EN_NOUNS[this.nounZ.sample(this.rng)] : ZH_NOUNS[this.zhNounZ.sample(this.rng)];
          break;
        case '{V}':
          word = lang === 'en' ? EN_VERBS[this.verbZ.sample(this.rng)] : ZH_VERBS[this.zhVerbZ.sample(this.rng)];
          break;
        case '{A}':
          word = lang === 'en' ? EN_ADJECTIVES[this.adjZ.sample(this.rng)] : ZH_ADJECTIVES[this.zhAdjZ.sample(this.rng)];
          break;
        case '{E}':
          word = lang === 'en' ? this.rng.pick(EN_TIMES) : this.rng.pick(ZH_TIMES);
          break;
        case '{T}':
          word = tags.length > 0 && this.rng.chance(0.7) ? this.rng.pick(tags) : vocab[this.tagZ.sample(this.rng) % vocab.length];
          break;
        case '{J}':
          word = this.jargon(lang);
          if (allowCode && this.rng.chance(0.15)) {
            word = `${word}${this.rng.pick(['.conf', '_mode', '.log', '_id', '()'])}`;
            code = true;
          }
          break;
        default:
          word = part;
      }
      // Latin words inside Chinese text get spaces around them, as people write them.
      if (lang === 'zh' && part !== word && /^[\x20-\x7e]/.test(word)) word = ` ${word} `;
      if (code) {
        const w = word.trim();
        const pad = lang === 'zh' ? ' ' : '';
        md += `${pad}\`${w}\`${pad}`;
        html += `${pad}<code>${w}</code>${pad}`;
        text += `${pad}${w}${pad}`;
      } else {
        md += word;
        html += word;
        text += word;
      }
    }
    const clean = (s: string) => s.replace(/ {2,}/g, ' ').trim();
    return { md: clean(md), html: clean(html), text: clean(text) };
  }

  title(lang: Lang, tags: readonly string[], vocab: readonly string[]): string {
    if (lang === 'en') {
      const t = this.fill(this.rng.pick(EN_QUESTION_TEMPLATES), lang, tags, vocab, false).text;
      const ask = /^(How|Why|Is|What|Does|Cannot)/i.test(t) || this.rng.chance(0.3);
      return capitalise(t) + (ask ? '?' : '');
    }
    let t = this.fill(this.rng.pick(ZH_QUESTION_TEMPLATES), lang, tags, vocab, false).text;
    while (Array.from(t).length < 10) t += this.rng.pick(['，求助', '，急', '，谢谢大家']);
    return this.rng.chance(0.6) ? `${t}？` : t;
  }

  private sentence(lang: Lang, tags: readonly string[], vocab: readonly string[]): Piece {
    const p = this.fill(this.rng.pick(lang === 'en' ? EN_SENTENCES : ZH_SENTENCES), lang, tags, vocab, true);
    if (lang === 'en') return { md: `${capitalise(p.md)}.`, html: `${capitalise(p.html)}.`, text: `${capitalise(p.text)}.` };
    return { md: `${p.md}。`, html: `${p.html}。`, text: `${p.text}。` };
  }

  private paragraph(b: BodyBuilder, lang: Lang, tags: readonly string[], vocab: readonly string[], sentences: number, prefix = '', extra = ''): void {
    const md: string[] = [];
    const html: string[] = [];
    const text: string[] = [];
    for (let i = 0; i < sentences; i++) {
      const s = this.sentence(lang, tags, vocab);
      md.push(s.md);
      html.push(s.html);
      text.push(s.text);
    }
    if (extra) {
      md.push(extra);
      html.push(extra);
      text.push(extra);
    }
    const sep = lang === 'en' ? ' ' : '';
    let m = md.join(sep);
    let h = html.join(sep);
    let t = text.join(sep);
    if (prefix) {
      m = `**${prefix}** ${m}`;
      h = `<strong>${prefix}</strong> ${h}`;
      t = `${prefix} ${t}`;
    }
    b.paragraph(m, h, t);
  }

  private rareSentence(lang: Lang, rare: readonly string[]): string {
    if (rare.length === 0) return '';
    if (lang === 'en') return `The log also mentions ${rare.join(' and ')}.`;
    return `日志里还出现了${rare.join('，还有')}。`;
  }

  questionBody(lang: Lang, tags: readonly string[], vocab: readonly string[], rare: readonly string[] = []): Body {
    const b = new BodyBuilder();
    const paragraphs = this.rng.range(1, 3);
    for (let i = 0; i < paragraphs; i++) {
      this.paragraph(b, lang, tags, vocab, this.rng.range(1, 3), '', i === 0 ? this.rareSentence(lang, rare) : '');
    }
    if (this.rng.chance(0.12)) {
      const lines = [`error ${this.jargon('en')}: code 0x${this.rng.int(0xffff).toString(16).padStart(4, '0')}`, `  at ${this.jargon('en')}.${this.jargon('en')} line ${this.rng.int(900) + 1}`];
      b.code('text', lines);
    }
    return b.build();
  }

  answerBody(lang: Lang, tags: readonly string[], vocab: readonly string[], rare: readonly string[] = []): Body {
    const b = new BodyBuilder();
    const paragraphs = this.rng.range(1, 2);
    const prefix = this.rng.chance(0.05) ? (lang === 'en' ? 'Update:' : '更新：') : '';
    for (let i = 0; i < paragraphs; i++) {
      this.paragraph(b, lang, tags, vocab, this.rng.range(1, 3), i === 0 ? prefix : '', i === 0 ? this.rareSentence(lang, rare) : '');
    }
    if (this.rng.chance(0.12)) {
      const n = this.rng.range(2, 4);
      const items: string[] = [];
      for (let i = 0; i < n; i++) {
        const p = this.fill(lang === 'en' ? '{V} the {N}' : '{V}{N}', lang, tags, vocab, false).text;
        items.push(lang === 'en' ? capitalise(p) : p);
      }
      b.paragraph(lang === 'en' ? 'Steps:' : '步骤：', lang === 'en' ? 'Steps:' : '步骤：', lang === 'en' ? 'Steps:' : '步骤：');
      b.list(items);
    }
    return b.build();
  }
}
