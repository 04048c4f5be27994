/*
 * The relevance suite's documents: the quantumcomputing.stackexchange dump excerpt in
 * ../shared/datasets (CC BY-SA 3.0, Stack Exchange; attribution in that folder's README:
 * every post links back to quantumcomputing.stackexchange.com/q/<Id>) and the hand-written
 * Chinese customer-service corpus in test/fixtures/relevance. Both are read into plain
 * records here; load.ts writes them into a real store.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { htmlToText } from '../../../src/markdown/render.js';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '../../..');
/** Relative to the repository, as the issue names it; /work/shared when run from a worktree. */
export function datasetDir(): string | null {
  const candidates = [resolve(REPO, '../shared/datasets/quantumcomputing.stackexchange'), resolve(REPO, '../../shared/datasets/quantumcomputing.stackexchange')];
  return candidates.find((dir) => existsSync(join(dir, 'Posts.xml'))) ?? null;
}
export const FIXTURES = join(REPO, 'test/fixtures/relevance');

export interface SourceQuestion {
  /** Stack Exchange id ("123") or fixture id ("zh-001"). */
  key: string;
  community: 'qc' | string;
  title: string;
  body: string;
  tags: string[];
  score: number;
  createdAt: number;
  answers: Array<{ key: string; body: string; score: number; accepted: boolean; createdAt: number }>;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return ENTITIES[e] ?? m;
  });
}

function rows(file: string): Array<Record<string, string>> {
  const text = readFileSync(file, 'utf8');
  const out: Array<Record<string, string>> = [];
  for (const m of text.matchAll(/<row\s([^>]*?)\/>/g)) {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/(\w+)="([^"]*)"/g)) attrs[a[1]!] = decodeXml(a[2]!);
    out.push(attrs);
  }
  return out;
}

export interface StackExchangeData {
  questions: SourceQuestion[];
  /** Duplicate question id -> original question id, both present in the excerpt. */
  duplicates: Array<{ duplicate: string; original: string }>;
}

export function readStackExchange(dir: string): StackExchangeData {
  const posts = rows(join(dir, 'Posts.xml'));
  const questions = new Map<string, SourceQuestion>();
  const accepted = new Set<string>();
  for (const p of posts) {
    if (p.PostTypeId !== '1') continue;
    if (p.AcceptedAnswerId) accepted.add(p.AcceptedAnswerId);
    questions.set(p.Id!, {
      key: p.Id!,
      community: 'qc',
      title: p.Title ?? '',
      body: htmlToText(p.Body ?? ''),
      tags: [...(p.Tags ?? '').matchAll(/<([^>]+)>/g)].map((t) => t[1]!),
      score: Number(p.Score ?? 0),
      createdAt: Date.parse(`${p.CreationDate}Z`),
      answers: [],
    });
  }
  for (const p of posts) {
    if (p.PostTypeId !== '2') continue;
    const q = questions.get(p.ParentId ?? '');
    if (!q) continue;
    q.answers.push({ key: p.Id!, body: htmlToText(p.Body ?? ''), score: Number(p.Score ?? 0), accepted: accepted.has(p.Id!), createdAt: Date.parse(`${p.CreationDate}Z`) });
  }
  const duplicates = rows(join(dir, 'PostLinks.xml'))
    .filter((l) => l.LinkTypeId === '3' && questions.has(l.PostId!) && questions.has(l.RelatedPostId!))
    .map((l) => ({ duplicate: l.PostId!, original: l.RelatedPostId! }));
  return { questions: [...questions.values()].sort((a, b) => a.createdAt - b.createdAt), duplicates };
}

export function readFixture<T>(name: string): T | null {
  const file = join(FIXTURES, name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null;
}

interface ZhCorpus {
  questions: Array<{ id: string; community?: string; title: string; body: string; tags: string[]; answers?: string[] }>;
}

/** A hand-written corpus: zh-corpus.json, zh-dense.json (one community, no answers), or the questions of en-extra.json. */
export function readCorpus(file: 'zh-corpus.json' | 'en-extra.json' | 'zh-dense.json'): SourceQuestion[] {
  const corpus = readFixture<ZhCorpus>(file);
  if (!corpus) return [];
  const start = Date.UTC(file === 'en-extra.json' ? 2023 : 2024, 0, 1);
  return corpus.questions.map((q, i) => ({
    key: q.id,
    community: file === 'zh-dense.json' ? 'zh-dense' : `${file.slice(0, 2)}-${q.community}`,
    title: q.title,
    body: q.body,
    tags: q.tags ?? [],
    score: 0,
    createdAt: start + i * 3_600_000,
    answers: (q.answers ?? []).map((body, j) => ({ key: `${q.id}/a${j}`, body, score: 0, accepted: j === 0, createdAt: start + i * 3_600_000 + (j + 1) * 60_000 })),
  }));
}
