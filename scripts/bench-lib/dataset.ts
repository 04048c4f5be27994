import fs from 'node:fs';
import path from 'node:path';
import { hash as argon2Hash } from '@node-rs/argon2';
import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import { optimizeIndex } from '../../src/search/sqlite-fts/segments.js';
import { BulkLoader, type CheckResult } from '../../src/db/sqlite/bulk-load.js';
import { reputationForVote, REPUTATION } from '../../src/domain/reputation.js';
import { slugify } from '../../src/domain/slug.js';
import type { CommunityRole } from '../../src/domain/types.js';
import { renderMarkdown, escapeHtml } from '../../src/markdown/render.js';
import { Rng, Weighted, Zipf } from './prng.js';
import { TextGenerator, assertWordListsAreSafe, type Lang } from './text.js';
import { communityDef, EN_FIRST_NAMES, EN_LAST_NAMES, EN_TAGS, RARE_WORDS, ZH_NAMES, ZH_TAGS } from './words.js';

/** Bump when the generated content changes, so that bench-data/ is regenerated. */
export const GENERATOR_VERSION = 1;

export const BENCH_PASSWORD = 'bench-password';

export interface GenerateParams {
  users: number;
  communities: number;
  questions: number;
  answers: number;
  votes: number;
  faqPerCommunity: number;
  seed: string;
  /** Reference "now" (ms): content is dated in the two years before it. */
  now: number;
}

export const DEFAULT_PARAMS: Omit<GenerateParams, 'now'> = {
  users: 20_000,
  communities: 20,
  questions: 100_000,
  answers: 300_000,
  votes: 1_000_000,
  // Issue 5 measures the FAQ pages with 2,000 entries per community (as many as qualify).
  faqPerCommunity: 2_000,
  seed: 'forum-bench',
};

export const SMALL_PARAMS: Omit<GenerateParams, 'now'> = {
  ...DEFAULT_PARAMS,
  users: 2_000,
  questions: 5_000,
  answers: 15_000,
  votes: 50_000,
};

export interface GenerateSummary {
  file: string;
  params: GenerateParams;
  counts: Record<string, number>;
  /** Votes the plan could not place (hot posts full, tiny communities). */
  votesShort: number;
  rarePosts: Record<string, number[]>;
  recompute: { usersChanged: number; postsChanged: number };
  checks: CheckResult[];
  markdownMismatches: number;
  faq: string;
  seconds: number;
  bytes: number;
  schemaFingerprint: string;
}

const DAY = 86_400_000;
const TAGS_PER_COMMUNITY = 200;
/** Answers per thread are capped so a hot thread stays a page a person could read. */
const MAX_ANSWERS_PER_QUESTION = 250;

/** Start of the current UTC day: stable within a day, so reruns give identical files. */
export function defaultNow(): number {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

export function databaseFile(dir: string): string {
  return path.join(dir, 'forum.sqlite');
}

export function databaseBytes(file: string): number {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += fs.statSync(file + suffix).size;
    } catch {
      /* no WAL file */
    }
  }
  return total;
}

export const fmt = (n: number) => n.toLocaleString('en-US');
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

class Progress {
  private readonly start = Date.now();
  private nextAt: number;
  private readonly step: number;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly log: (line: string) => void,
    private readonly t0: number,
  ) {
    this.step = Math.max(1, Math.ceil(total / 10));
    this.nextAt = this.step;
  }

  tick(done: number): void {
    if (done >= this.nextAt || done === this.total) {
      this.nextAt += this.step;
      const pct = this.total === 0 ? 100 : Math.round((done / this.total) * 100);
      this.log(`  ${this.label}: ${fmt(done)} / ${fmt(this.total)} (${pct}%)  +${((Date.now() - this.start) / 1000).toFixed(1)} s, total ${((Date.now() - this.t0) / 1000).toFixed(1)} s`);
    }
  }
}

/** A small integer hash, so per-vote details need no stored random numbers. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x45d9f3b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

export async function generateDataset(dir: string, params: GenerateParams, log: (line: string) => void = console.log): Promise<GenerateSummary> {
  const t0 = Date.now();
  assertWordListsAreSafe();
  const P = params;
  if (P.users < 2 || P.communities < 1 || P.questions < 1 || P.answers < 0 || P.votes < 0) throw new Error('need at least 2 users, 1 community and 1 question');
  const file = databaseFile(dir);
  const root = new Rng(P.seed);
  const now = P.now;
  const U = P.users;
  const C = P.communities;
  const Q = P.questions;

  /* ---------------- plan: users and memberships ---------------- */
  log(`Planning ${fmt(U)} users, ${fmt(C)} communities, ${fmt(Q)} questions, ${fmt(P.answers)} answers, ${fmt(P.votes)} votes (seed "${P.seed}")`);
  const rngUsers = root.fork('users');
  const userCreated = new Float64Array(U + 1);
  for (let u = 1; u <= U; u++) userCreated[u] = now - 1100 * DAY + rngUsers.next() * 360 * DAY;

  const defs = Array.from({ length: C }, (_, i) => communityDef(i));
  // Community popularity: a mild power law over a shuffled order, used for both members and questions.
  const popularityOrder = rngUsers.shuffle(Array.from({ length: C }, (_, i) => i));
  const communityWeight = new Float64Array(C);
  popularityOrder.forEach((c, rank) => (communityWeight[c] = 1 / Math.pow(rank + 1, 0.7)));
  const communityPick = new Weighted(communityWeight);

  const members: number[][] = Array.from({ length: C }, () => []);
  for (let u = 1; u <= U; u++) {
    const k = Math.min(C, rngUsers.range(1, 5));
    const chosen = new Set<number>();
    while (chosen.size < k) chosen.add(communityPick.sample(rngUsers));
    for (const c of chosen) members[c].push(u);
  }
  // Make sure every community has a few members, even with tiny user counts.
  for (let c = 0; c < C; c++) {
    while (members[c].length < Math.min(U, 3)) {
      const u = rngUsers.range(1, U);
      if (!members[c].includes(u)) members[c].push(u);
    }
    rngUsers.shuffle(members[c]);
  }
  const memberSets = members.map((m) => new Set(m));
  const roles: Array<Map<number, CommunityRole>> = members.map((m, c) => {
    const map = new Map<number, CommunityRole>();
    for (let i = 0; i < Math.min(3, m.length); i++) map.set(m[m.length - 1 - i], 'moderator');
    if (defs[c].kind === 'business') for (let i = 3; i < Math.min(8, m.length); i++) map.set(m[m.length - 1 - i], 'staff');
    return map;
  });

  /* ---------------- plan: tags vocabulary ---------------- */
  const rngTags = root.fork('tags');
  const vocab: string[][] = defs.map((d) => {
    const zhShare = d.locale === 'zh-CN' ? 0.4 : 0.15;
    const zhCount = Math.min(ZH_TAGS.length, Math.round(TAGS_PER_COMMUNITY * zhShare));
    const enCount = Math.min(EN_TAGS.length, TAGS_PER_COMMUNITY - zhCount);
    const zh = rngTags.shuffle([...ZH_TAGS]).slice(0, zhCount);
    const en = rngTags.shuffle([...EN_TAGS]).slice(0, enCount);
    // The shuffled order is the popularity order: rank 0 is the community's most used tag.
    return rngTags.shuffle([...en, ...zh]);
  });

  /* ---------------- plan: questions ---------------- */
  const rngQ = root.fork('questions');
  const qCommunity = new Int32Array(Q);
  const qAuthor = new Int32Array(Q);
  const qCreated = new Float64Array(Q);
  const qLang = new Uint8Array(Q);
  const qTags = new Int16Array(Q * 4).fill(-1);
  const tagCount: Int32Array[] = defs.map((_, c) => new Int32Array(vocab[c].length));
  const tagZipf = vocab.map((v) => new Zipf(v.length, 1.0));
  for (let q = 0; q < Q; q++) qCreated[q] = now - 730 * DAY + rngQ.next() * (730 * DAY - 3_600_000);
  qCreated.sort();
  for (let q = 0; q < Q; q++) {
    qCreated[q] = Math.floor(qCreated[q]);
    const c = communityPick.sample(rngQ);
    qCommunity[q] = c;
    const m = members[c];
    // A few members ask most of the questions.
    qAuthor[q] = m[Math.floor(m.length * Math.pow(rngQ.next(), 2))];
    qLang[q] = defs[c].locale === 'zh-CN' ? (rngQ.chance(0.75) ? 1 : 0) : rngQ.chance(0.1) ? 1 : 0;
    const n = Math.min(vocab[c].length, rngQ.range(2, 4));
    const chosen = new Set<number>();
    let guard = 0;
    while (chosen.size < n && guard++ < 100) chosen.add(tagZipf[c].sample(rngQ));
    let i = 0;
    for (const t of chosen) {
      qTags[q * 4 + i++] = t;
      tagCount[c][t]++;
    }
  }

  /* ---------------- plan: answers (Zipf over a shuffled popularity order) ---------------- */
  const rngA = root.fork('answers');
  const popularity = rngA.shuffle(Int32Array.from({ length: Q }, (_, i) => i));
  const threadZipf = new Zipf(Q, 1.0);
  const pickThread = (rng: Rng, uniformShare: number) => (rng.chance(uniformShare) ? rng.int(Q) : popularity[threadZipf.sample(rng)]);
  const capacityAnswers = Q * MAX_ANSWERS_PER_QUESTION;
  const A = Math.min(P.answers, capacityAnswers);
  const ansCount = new Int32Array(Q);
  const aQuestionRaw = new Int32Array(A);
  for (let a = 0; a < A; a++) {
    let q = pickThread(rngA, 0.2);
    while (ansCount[q] >= MAX_ANSWERS_PER_QUESTION) q = rngA.int(Q);
    ansCount[q]++;
    aQuestionRaw[a] = q;
  }
  const aCreatedRaw = new Float64Array(A);
  for (let a = 0; a < A; a++) {
    const q = aQuestionRaw[a];
    // Most answers come within days; the long tail within months.
    const delay = Math.min(-Math.log(1 - rngA.next()) * 2 * DAY + 60_000, 200 * DAY);
    aCreatedRaw[a] = Math.floor(Math.min(qCreated[q] + delay, now - 60_000 * (1 + rngA.int(60))));
    if (aCreatedRaw[a] <= qCreated[q]) aCreatedRaw[a] = qCreated[q] + 1;
  }
  // Answer ids follow time, as they would in a live forum.
  const order = Int32Array.from({ length: A }, (_, i) => i).sort((x, y) => aCreatedRaw[x] - aCreatedRaw[y] || x - y);
  const aQuestion = new Int32Array(A);
  const aCreated = new Float64Array(A);
  const aAuthor = new Int32Array(A);
  const aLang = new Uint8Array(A);
  for (let i = 0; i < A; i++) {
    const q = aQuestionRaw[order[i]];
    aQuestion[i] = q;
    aCreated[i] = aCreatedRaw[order[i]];
    const m = members[qCommunity[q]];
    let author = m[rngA.int(m.length)];
    for (let tries = 0; author === qAuthor[q] && tries < 5 && m.length > 1; tries++) author = m[rngA.int(m.length)];
    aAuthor[i] = author;
    aLang[i] = rngA.chance(0.9) ? qLang[q] : 1 - qLang[q];
  }
  // Answers of each question, oldest first (CSR layout).
  const ansStart = new Int32Array(Q + 1);
  for (let i = 0; i < A; i++) ansStart[aQuestion[i] + 1]++;
  for (let q = 0; q < Q; q++) ansStart[q + 1] += ansStart[q];
  const ansList = new Int32Array(A);
  {
    const fill = ansStart.slice(0, Q);
    for (let i = 0; i < A; i++) ansList[fill[aQuestion[i]]++] = i;
  }
  log(`  plan: answers placed, ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  /* ---------------- plan: votes ---------------- */
  const rngV = root.fork('votes');
  const postCount = Q + A;
  const postOf = (q: number) => q + 1;
  const answerPostId = (a: number) => Q + 1 + a;
  const postVotes = new Int32Array(postCount + 1);
  const voteKeyBase = 2 * (U + 1);
  const seen = new Set<number>();
  const keys = new Float64Array(P.votes);
  let V = 0;
  let attempts = 0;
  const maxAttempts = P.votes * 30 + 1000;
  const answerZipfCache = new Map<number, Zipf>();
  while (V < P.votes && attempts < maxAttempts) {
    attempts++;
    const q = pickThread(rngV, 0.25);
    const c = qCommunity[q];
    const m = members[c];
    const n = ansStart[q + 1] - ansStart[q];
    let postId: number;
    let author: number;
    let isAnswer = false;
    if (n === 0 || rngV.chance(0.35)) {
      postId = postOf(q);
      author = qAuthor[q];
    } else {
      let z = answerZipfCache.get(n);
      if (!z) answerZipfCache.set(n, (z = new Zipf(n, 1.2)));
      const a = ansList[ansStart[q] + z.sample(rngV)];
      postId = answerPostId(a);
      author = aAuthor[a];
      isAnswer = true;
    }
    const capacity = Math.floor((m.length - (memberSets[c].has(author) ? 1 : 0)) * 0.8);
    if (postVotes[postId] >= capacity) continue;
    let voter = 0;
    for (let tries = 0; tries < 8; tries++) {
      const candidate = m[rngV.int(m.length)];
      if (candidate === author || seen.has(postId * (U + 1) + candidate)) continue;
      voter = candidate;
      break;
    }
    if (voter === 0) continue;
    seen.add(postId * (U + 1) + voter);
    postVotes[postId]++;
    const up = rngV.chance(isAnswer ? 0.88 : 0.82);
    keys[V++] = postId * voteKeyBase + voter * 2 + (up ? 1 : 0);
  }
  seen.clear();
  const votes = keys.subarray(0, V).sort();
  const votesShort = P.votes - V;
  log(`  plan: ${fmt(V)} votes placed${votesShort > 0 ? ` (${fmt(votesShort)} short: hot posts or small communities full)` : ''}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  /* ---------------- counters ---------------- */
  const score = new Int32Array(postCount + 1);
  const upVotes = new Int32Array(postCount + 1);
  const downVotes = new Int32Array(postCount + 1);
  const reputation = new Float64Array(U + 1);
  const authorOfPost = (postId: number) => (postId <= Q ? qAuthor[postId - 1] : aAuthor[postId - Q - 1]);
  for (let i = 0; i < V; i++) {
    const key = votes[i];
    const postId = Math.floor(key / voteKeyBase);
    const up = key % 2 === 1;
    score[postId] += up ? 1 : -1;
    if (up) upVotes[postId]++;
    else downVotes[postId]++;
    reputation[authorOfPost(postId)] += reputationForVote(postId <= Q ? 'question' : 'answer', up ? 1 : -1);
  }

  const rngAcc = root.fork('accept');
  const accepted = new Int32Array(Q).fill(-1);
  const lastActivity = new Float64Array(Q);
  const lastActivityUser = new Int32Array(Q);
  for (let q = 0; q < Q; q++) {
    const start = ansStart[q];
    const n = ansStart[q + 1] - start;
    let last = qCreated[q];
    let lastUser = qAuthor[q];
    if (n > 0) {
      const newest = ansList[start + n - 1];
      last = aCreated[newest];
      lastUser = aAuthor[newest];
      if (rngAcc.chance(0.45)) {
        const candidates: number[] = [];
        for (let i = start; i < start + n; i++) if (aAuthor[ansList[i]] !== qAuthor[q]) candidates.push(ansList[i]);
        if (candidates.length > 0) {
          let pick = candidates[rngAcc.int(candidates.length)];
          if (rngAcc.chance(0.7)) for (const a of candidates) if (score[answerPostId(a)] > score[answerPostId(pick)]) pick = a;
          accepted[q] = pick;
          reputation[aAuthor[pick]] += REPUTATION.answerAccepted;
          reputation[qAuthor[q]] += REPUTATION.acceptedByAsker;
          const acceptedAt = Math.floor(Math.min(aCreated[pick] + rngAcc.next() * 3 * DAY, now - 1000));
          if (acceptedAt > last) last = acceptedAt;
        }
      }
    }
    lastActivity[q] = last;
    lastActivityUser[q] = lastUser;
  }

  /* ---------------- rare words ---------------- */
  const rareQuestion = new Map<number, string[]>();
  const rareAnswer = new Map<number, string[]>();
  if (Q >= 8) {
    for (let k = 1; k <= 7; k++) rareQuestion.set(Math.floor((Q * k) / 8), k <= 3 ? [RARE_WORDS.enRare, RARE_WORDS.enRare2] : [RARE_WORDS.enRare]);
  }
  if (A >= 6) {
    for (let k = 1; k <= 5; k++) rareAnswer.set(Math.floor((A * k) / 6), k <= 3 ? [RARE_WORDS.zhRare, RARE_WORDS.zhRare2] : [RARE_WORDS.zhRare]);
  }

  /* ---------------- write ---------------- */
  if (fs.existsSync(file)) throw new Error(`${file} already exists`);
  fs.mkdirSync(dir, { recursive: true });
  log(`Hashing the shared password (argon2id) and opening ${file}`);
  const passwordHash = await argon2Hash(BENCH_PASSWORD, { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 });
  const storage = createSqliteStorage(file);
  const loader = new BulkLoader(storage.db);
  try {
    if (!loader.isEmpty()) throw new Error(`${file} is not empty`);
    loader.tuneForBulkLoad();

    // Users
    const rngNames = root.fork('names');
    let progress = new Progress('users', U, log, t0);
    for (let u = 1; u <= U; u++) {
      const zh = rngNames.chance(0.25);
      const first = zh ? rngNames.pick(ZH_NAMES) : rngNames.pick(EN_FIRST_NAMES);
      const username = u === 1 ? 'bench_admin' : zh ? `${first}${u}` : `${first}_${u}`;
      const displayName = u === 1 ? 'Bench Admin' : zh ? first : `${first.charAt(0).toUpperCase()}${first.slice(1)} ${rngNames.pick(EN_LAST_NAMES)}`;
      loader.insertUser({
        id: u,
        username,
        email: `user${u}@bench.example`,
        displayName,
        passwordHash,
        isAdmin: u === 1,
        reputation: reputation[u],
        createdAt: Math.floor(userCreated[u]),
      });
      progress.tick(u);
    }

    // Communities, memberships, tags
    const qPerCommunity = new Int32Array(C);
    for (let q = 0; q < Q; q++) qPerCommunity[qCommunity[q]]++;
    for (let c = 0; c < C; c++) {
      const d = defs[c];
      loader.insertCommunity({
        id: c + 1,
        slug: d.slug,
        name: d.name,
        kind: d.kind,
        descriptionMd: d.description,
        descriptionHtml: `<p>${escapeHtml(d.description)}</p>`,
        defaultLocale: d.locale,
        memberCount: members[c].length,
        questionCount: qPerCommunity[c],
        promotionThreshold: 5,
        createdAt: now - 1100 * DAY,
      });
    }
    let membershipTotal = 0;
    for (let c = 0; c < C; c++) {
      for (const u of members[c]) {
        loader.insertMembership(c + 1, u, roles[c].get(u) ?? 'member', Math.floor(userCreated[u] + mix(c, u) * 5 * DAY));
        membershipTotal++;
      }
    }
    const tagId: Int32Array[] = defs.map((_, c) => new Int32Array(vocab[c].length));
    let nextTagId = 1;
    for (let c = 0; c < C; c++) {
      for (let t = 0; t < vocab[c].length; t++) {
        if (tagCount[c][t] === 0) continue;
        tagId[c][t] = nextTagId;
        loader.insertTag({ id: nextTagId, communityId: c + 1, name: vocab[c][t], questionCount: tagCount[c][t] });
        nextTagId++;
      }
    }
    loader.commit();
    log(`  communities: ${fmt(C)}, memberships: ${fmt(membershipTotal)}, tags: ${fmt(nextTagId - 1)}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // Questions (+ revision 1 + question_tags)
    const textQ = new TextGenerator(root.fork('question-text'), TAGS_PER_COMMUNITY);
    const rngViews = root.fork('views');
    progress = new Progress('questions', Q, log, t0);
    for (let q = 0; q < Q; q++) {
      const c = qCommunity[q];
      const tags: string[] = [];
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) {
        const t = qTags[q * 4 + i];
        if (t < 0) break;
        tags.push(vocab[c][t]);
        ids.push(tagId[c][t]);
      }
      const rare = rareQuestion.get(q) ?? [];
      const lang: Lang = rare.length > 0 ? 'en' : qLang[q] === 1 ? 'zh' : 'en';
      const title = textQ.title(lang, tags, vocab[c]);
      const body = textQ.questionBody(lang, tags, vocab[c], rare);
      const id = postOf(q);
      const n = ansStart[q + 1] - ansStart[q];
      loader.insertQuestion({
        id,
        communityId: c + 1,
        authorId: qAuthor[q],
        title,
        slug: slugify(title),
        bodyMd: body.md,
        bodyHtml: body.html,
        bodyText: body.text,
        tags,
        tagIds: ids,
        score: score[id],
        upVotes: upVotes[id],
        downVotes: downVotes[id],
        answerCount: n,
        acceptedAnswerId: accepted[q] >= 0 ? answerPostId(accepted[q]) : null,
        viewCount: Math.floor(5 + n * 25 + postVotes[id] * 8 + rngViews.next() * 120),
        createdAt: qCreated[q],
        lastActivityAt: lastActivity[q],
        lastActivityUserId: lastActivityUser[q],
      });
      progress.tick(q + 1);
    }
    loader.commit();

    // Answers (+ revision 1)
    const textA = new TextGenerator(root.fork('answer-text'), TAGS_PER_COMMUNITY);
    const isAccepted = new Uint8Array(A);
    for (let q = 0; q < Q; q++) if (accepted[q] >= 0) isAccepted[accepted[q]] = 1;
    progress = new Progress('answers', A, log, t0);
    for (let a = 0; a < A; a++) {
      const q = aQuestion[a];
      const c = qCommunity[q];
      const tags: string[] = [];
      for (let i = 0; i < 4; i++) {
        const t = qTags[q * 4 + i];
        if (t < 0) break;
        tags.push(vocab[c][t]);
      }
      const rare = rareAnswer.get(a) ?? [];
      const lang: Lang = rare.length > 0 ? 'zh' : aLang[a] === 1 ? 'zh' : 'en';
      const body = textA.answerBody(lang, tags, vocab[c], rare);
      const id = answerPostId(a);
      loader.insertAnswer({
        id,
        communityId: c + 1,
        questionId: postOf(q),
        authorId: aAuthor[a],
        bodyMd: body.md,
        bodyHtml: body.html,
        bodyText: body.text,
        score: score[id],
        upVotes: upVotes[id],
        downVotes: downVotes[id],
        isAccepted: isAccepted[a] === 1,
        createdAt: aCreated[a],
      });
      progress.tick(a + 1);
    }
    loader.commit();

    // Votes, in (post, user) order so the primary key index is appended to.
    progress = new Progress('votes', V, log, t0);
    for (let i = 0; i < V; i++) {
      const key = votes[i];
      const postId = Math.floor(key / voteKeyBase);
      const rest = key - postId * voteKeyBase;
      const user = Math.floor(rest / 2);
      const created = postId <= Q ? qCreated[postId - 1] : aCreated[postId - Q - 1];
      // Most votes arrive soon after the post, a few much later.
      const at = Math.floor(created + (now - created) * Math.pow(mix(postId, user), 4));
      loader.insertVote(postId, user, rest % 2 === 1 ? 1 : -1, Math.max(created + 1, Math.min(at, now - 1)));
      progress.tick(i + 1);
    }
    loader.commit();

    // FAQ: only when the FAQ feature's tables exist.
    let faq: string;
    if (P.faqPerCommunity <= 0) faq = 'FAQ generation: not requested (--faq-per-community 0)';
    else if (!loader.hasTable('faq_entries') || !loader.hasTable('faq_categories')) {
      faq = `FAQ generation skipped: no faq_entries table in this schema yet (asked for ${P.faqPerCommunity} per community)`;
    } else {
      try {
        const made = generateFaq(loader, root.fork('faq'), defs, vocab, roles, P.faqPerCommunity, now);
        faq = `FAQ: ${fmt(made.categories)} categories (depth 1-4) and ${fmt(made.entries)} entries from answers that meet the promotion rule`;
      } catch (err) {
        // The FAQ schema is young; a mismatch must not cost the rest of the data set.
        loader.abort();
        faq = `FAQ generation failed and was skipped (FAQ schema changed?): ${(err as Error).message}`;
      }
    }
    log(faq);

    await storage.meta.set(
      'bench_generated',
      JSON.stringify({ generatorVersion: GENERATOR_VERSION, ...P, generatedAt: new Date().toISOString() }),
    );
    loader.finish();

    log('Recomputing scores and reputation from the vote rows (storage.votes.recomputeAll) ...');
    const recompute = await storage.votes.recomputeAll();
    log(`  recomputeAll: ${recompute.postsChanged} posts and ${recompute.usersChanged} users changed (0 and 0 expected: counters were written final)`);

    log('Checking counters ...');
    const checks = loader.verify();
    for (const c of checks) log(`  ${c.bad === 0 ? 'ok  ' : 'FAIL'} ${c.check}${c.bad === 0 ? '' : `: ${fmt(c.bad)} rows`}`);

    // The HTML was written directly; check a sample against the real Markdown pipeline.
    let markdownMismatches = 0;
    const sample = loader.samplePosts(300);
    for (const post of sample) {
      const rendered = renderMarkdown(post.bodyMd);
      if (rendered.html !== post.bodyHtml || rendered.text !== post.bodyText) {
        if (markdownMismatches === 0) {
          log(`  Markdown mismatch on post ${post.id}:\n    md:   ${JSON.stringify(post.bodyMd)}\n    want: ${JSON.stringify(rendered.html)}\n    have: ${JSON.stringify(post.bodyHtml)}\n    want text: ${JSON.stringify(rendered.text)}\n    have text: ${JSON.stringify(post.bodyText)}`);
        }
        markdownMismatches++;
      }
    }
    log(`  ${markdownMismatches === 0 ? 'ok  ' : 'FAIL'} generated HTML/text = renderMarkdown() on ${sample.length} sampled posts${markdownMismatches ? `: ${markdownMismatches} differ` : ''}`);

    const rarePosts: Record<string, number[]> = {};
    for (const w of Object.values(RARE_WORDS)) rarePosts[w] = loader.postIdsContaining(w);
    const counts = loader.counts();
    const schemaFingerprint = loader.schemaFingerprint();
    // The bulk load leaves the full-text index in many segments (FTS5 writes one per
    // transaction); a server merges them only slowly in the background, so the data starts merged.
    log('Merging the search index into one segment (FTS5 optimize) ...');
    const optimizeStart = Date.now();
    optimizeIndex(storage.db);
    log(`  done in ${((Date.now() - optimizeStart) / 1000).toFixed(1)} s`);
    storage.db.pragma('wal_checkpoint(TRUNCATE)');
    await storage.close();
    const seconds = (Date.now() - t0) / 1000;
    return { file, params: P, counts, votesShort, rarePosts, recompute, checks, markdownMismatches, faq, seconds, bytes: databaseBytes(file), schemaFingerprint };
  } catch (err) {
    loader.abort();
    await storage.close();
    throw err;
  }
}

const FAQ_TOP: Record<'en' | 'zh', string[]> = {
  en: ['Getting started', 'Troubleshooting', 'Account and billing', 'Tips and tricks'],
  zh: ['新手入门', '故障排除', '账号与账单', '使用技巧'],
};

/**
 * A FAQ tree per community (4 top categories, 2 children each, and one branch down to
 * depth 4) with entries made from the community's best answers, as a moderator would
 * promote them. Entries hang on categories of every depth; the first two are pinned.
 */
function generateFaq(
  loader: BulkLoader,
  rng: Rng,
  defs: ReturnType<typeof communityDef>[],
  vocab: string[][],
  roles: Array<Map<number, CommunityRole>>,
  perCommunity: number,
  now: number,
): { categories: number; entries: number } {
  let categoryId = 0;
  let entryId = 0;
  const created = now - 30 * DAY;
  for (let c = 0; c < defs.length; c++) {
    const lang = defs[c].locale === 'zh-CN' ? 'zh' : 'en';
    const categories: number[] = [];
    const addCategory = (parentId: number | null, name: string, position: number, depth: number) => {
      const id = ++categoryId;
      loader.insertFaqCategory({ id, communityId: c + 1, parentId, name, slug: slugify(name), position, depth, createdAt: created });
      categories.push(id);
      return id;
    };
    // Child names come from the community's most used tags, distinct within the community.
    let tagIndex = 0;
    const tagName = () => {
      const t = vocab[c][tagIndex++ % vocab[c].length];
      return lang === 'en' ? t.charAt(0).toUpperCase() + t.slice(1) : t;
    };
    FAQ_TOP[lang].forEach((name, i) => {
      const top = addCategory(null, name, i, 1);
      const first = addCategory(top, tagName(), 0, 2);
      addCategory(top, tagName(), 1, 2);
      if (i === 1) addCategory(addCategory(first, tagName(), 0, 3), tagName(), 0, 4);
    });
    const moderators = [...roles[c].entries()].filter(([, role]) => role === 'moderator').map(([u]) => u);
    const sources = loader.faqSources(c + 1, 5, perCommunity);
    const ids: number[] = [];
    sources.forEach((src, i) => {
      const id = ++entryId;
      loader.insertFaqEntry({
        id,
        communityId: c + 1,
        categoryId: categories[i % categories.length],
        title: src.title,
        slug: slugify(src.title),
        bodyMd: src.bodyMd,
        bodyHtml: src.bodyHtml,
        bodyText: src.bodyText,
        sourceQuestionId: src.questionId,
        sourceAnswerId: src.answerId,
        pinned: i < 2,
        pinPosition: i < 2 ? i + 1 : 0,
        viewCount: Math.floor(50 + src.score * 40 + rng.next() * 500),
        createdBy: moderators.length > 0 ? moderators[i % moderators.length] : 1,
        createdAt: Math.min(now - DAY, src.createdAt + 7 * DAY),
      });
      ids.push(id);
    });
    for (let i = 0; i + 1 < ids.length; i += 2) loader.insertFaqRelated(ids[i], ids[i + 1]);
  }
  loader.commit();
  return { categories: categoryId, entries: entryId };
}

/** Schema fingerprint of what the current code would create, to tell whether bench-data is stale. */
export function currentSchemaFingerprint(): string {
  const storage = createSqliteStorage(':memory:');
  try {
    return new BulkLoader(storage.db).schemaFingerprint();
  } finally {
    void storage.close();
  }
}

export function printSummary(s: GenerateSummary, log: (line: string) => void = console.log): void {
  log('');
  log(`Generated ${s.file} in ${s.seconds.toFixed(1)} s, ${mib(s.bytes)}`);
  for (const [k, v] of Object.entries(s.counts)) log(`  ${k.padEnd(14)} ${fmt(v).padStart(12)}`);
  if (s.votesShort > 0) log(`  (${fmt(s.votesShort)} of the requested votes could not be placed: every eligible voter had already voted on the hot posts)`);
  log('Rare words (for search benchmarks), post ids:');
  for (const [w, ids] of Object.entries(s.rarePosts)) log(`  ${w}: ${ids.length} posts [${ids.join(', ')}]`);
  const failed = s.checks.filter((c) => c.bad > 0);
  log(failed.length === 0 && s.markdownMismatches === 0 ? 'All consistency checks passed.' : `CONSISTENCY PROBLEMS: ${failed.map((c) => c.check).join('; ')}`);
  log(`Log in as any generated user with password "${BENCH_PASSWORD}" (e.g. bench_admin, a site admin).`);
}
