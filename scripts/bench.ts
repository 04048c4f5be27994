/*
 * Load benchmark: the real server, a generated data set, autocannon.
 *
 *   npm run bench                       default data set (20k users, 100k questions, ...)
 *   npm run bench -- --small            2k users, 5k questions, 15k answers, 50k votes
 *   npm run bench -- --search           also the search group (/search?q=..., 10 connections)
 *   npm run bench -- --routes question,vote --duration 5 --connections 20
 *   npm run bench -- --data DIR         an existing DIR/forum.sqlite (e.g. from npm run generate)
 *
 * Every figure is also printed as a ratio to a trivial route measured in the same server
 * process in the same run (DESIGN.md section 10), because absolute numbers depend on the
 * machine. The trivial route is GET /livez. Beside req/s it prints the server's CPU time per
 * request (steadier than req/s on a shared machine), and each route's target from issue 15
 * as met / not met. See docs/bench.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createSqliteStorage } from '../src/db/sqlite/index.js';
import { BulkLoader, type BenchTargets } from '../src/db/sqlite/bulk-load.js';
import { refuseProduction, positiveInt } from './bench-lib/cli.js';
import {
  BENCH_PASSWORD,
  DEFAULT_PARAMS,
  GENERATOR_VERSION,
  SMALL_PARAMS,
  currentSchemaFingerprint,
  databaseBytes,
  databaseFile,
  defaultNow,
  fmt,
  generateDataset,
  mib,
  printSummary,
  type GenerateParams,
} from './bench-lib/dataset.js';
import { probe, runLoad, type Measurement, type RequestShape } from './bench-lib/measure.js';
import { cpuSeconds, serverMemory, startServer, waitUntilQuiet, type ServerHandle } from './bench-lib/server.js';
import { login, type BenchSession } from './bench-lib/session.js';
import { searchMix } from './bench-lib/search-mix.js';
import { searchCpuBeside, type SearchCpuRow } from './bench-lib/search-baseline.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const GROUPS = ['trivial', 'home', 'community', 'tag', 'question', 'faq', 'vote', 'search'] as const;
type Group = (typeof GROUPS)[number];
const DEFAULT_GROUPS: Group[] = ['trivial', 'home', 'community', 'tag', 'question', 'faq', 'vote'];

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    small: { type: 'boolean', default: false },
    duration: { type: 'string' },
    connections: { type: 'string' },
    'search-connections': { type: 'string' },
    warmup: { type: 'string' },
    routes: { type: 'string' },
    search: { type: 'boolean', default: false },
    regenerate: { type: 'boolean', default: false },
    import: { type: 'boolean', default: false },
    mail: { type: 'boolean', default: false },
    inbound: { type: 'boolean', default: false },
    messages: { type: 'string' },
    dashboard: { type: 'boolean', default: false },
    questions: { type: 'string' },
    runs: { type: 'string' },
    dir: { type: 'string' },
    json: { type: 'string' },
    force: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (values.help) {
  console.log(`Usage: npm run bench -- [options]

  --small                 small data set (2k users, 5k questions, 15k answers, 50k votes)
  --data DIR              use DIR/forum.sqlite instead of generating into bench-data/
  --regenerate            regenerate bench-data/ even if it matches
  --duration S            seconds per route (default 10)
  --connections N         concurrent connections (default 50)
  --search                add the search group (/search?q=..., --search-connections, default 10)
  --search-connections N  connections for the search group (default 10)
  --routes LIST           groups or route names, comma separated: ${GROUPS.join(', ')}
                          (the trivial route is always measured: it is the baseline)
  --warmup S              unmeasured seconds before each route (default 1)
  --json FILE             also write the results as JSON
  --mail                  instead: mail queue throughput (messages/s to the file transport; scripts/bench-lib/mail-bench.ts)
  --inbound               instead: inbound support mail over SMTP, messages/s and message-to-question time
                          (--messages N, default 200; --connections N, default 4)
  --dashboard             instead: support dashboard p95 over a year of daily aggregates (--questions N, default 100k; --runs N, default 50)
  --import                instead: import throughput of a Stack Exchange dump (--dir DIR, default the shared one)
  --force                 run even with NODE_ENV=production in this shell`);
  process.exit(0);
}

refuseProduction(values.force, 'run the benchmark');

if (values.mail) {
  const { benchMail } = await import('./bench-lib/mail-bench.js');
  process.exit(await benchMail({ json: values.json }));
}
if (values.inbound) {
  const { benchInbound } = await import('./bench-lib/inbound-bench.js');
  process.exit(await benchInbound({ messages: positiveInt('messages', values.messages, 200, 1), connections: positiveInt('connections', values.connections, 4, 1), json: values.json }));
}
if (values.dashboard) {
  const { benchDashboard } = await import('./bench-lib/dashboard-bench.js');
  const result = await benchDashboard({ questions: positiveInt('questions', values.questions, 100_000, 365), runs: positiveInt('runs', values.runs, 50, 1) });
  if (values.json) fs.writeFileSync(values.json, JSON.stringify({ dashboard: result }, null, 2));
  process.exit(0);
}

if (values.import) {
  const { benchImport } = await import('./bench-import.js');
  process.exit(await benchImport({ dir: values.dir, json: values.json, force: values.force }));
}

const duration = positiveInt('duration', values.duration, 10, 1);
const connections = positiveInt('connections', values.connections, 50, 1);
const searchConnections = positiveInt('search-connections', values['search-connections'], 10, 1);
const warmup = positiveInt('warmup', values.warmup, 1, 0);

const selectors = values.routes ? values.routes.split(',').map((s) => s.trim()).filter(Boolean) : null;
const wanted = (group: Group, name: string) => {
  if (group === 'trivial') return true;
  if (!selectors) return DEFAULT_GROUPS.includes(group) || (group === 'search' && values.search);
  return selectors.some((s) => s === group || s === name) || (group === 'search' && values.search);
};

/* ---------------- data set ---------------- */

interface DatasetRecord {
  generatorVersion: number;
  schemaFingerprint: string;
  params: Omit<GenerateParams, 'now'>;
  now: number;
  generatedAt: string;
  seconds: number;
  bytes: number;
  counts: Record<string, number>;
}

async function ensureDataset(): Promise<{ dir: string; description: string }> {
  if (values.data) {
    const dir = path.resolve(values.data);
    if (!fs.existsSync(databaseFile(dir))) {
      console.error(`${databaseFile(dir)} does not exist; create it with npm run generate -- --out ${values.data}`);
      process.exit(2);
    }
    return { dir, description: `--data ${dir}` };
  }
  const name = values.small ? 'small' : 'default';
  const params = values.small ? SMALL_PARAMS : DEFAULT_PARAMS;
  const dir = path.join(ROOT, 'bench-data', name);
  const recordFile = path.join(dir, 'params.json');
  const fingerprint = currentSchemaFingerprint();
  let record: DatasetRecord | null = null;
  try {
    record = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as DatasetRecord;
  } catch {
    record = null;
  }
  const same =
    record !== null &&
    fs.existsSync(databaseFile(dir)) &&
    record.generatorVersion === GENERATOR_VERSION &&
    record.schemaFingerprint === fingerprint &&
    JSON.stringify(record.params) === JSON.stringify(params);
  const describe = (r: DatasetRecord) =>
    `bench-data/${name}: ${fmt(r.params.users)} users, ${fmt(r.params.questions)} questions, ${fmt(r.params.answers)} answers, ${fmt(r.params.votes)} votes (seed "${r.params.seed}", generated ${r.generatedAt})`;
  if (same && !values.regenerate) {
    console.log(`Reusing ${describe(record!)}`);
    return { dir, description: describe(record!) };
  }
  console.log(
    record === null
      ? `Generating bench-data/${name} ...`
      : `Regenerating bench-data/${name} (${values.regenerate ? '--regenerate' : 'parameters, generator or schema changed'}) ...`,
  );
  fs.rmSync(recordFile, { force: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(databaseFile(dir) + suffix, { force: true });
  const full: GenerateParams = { ...params, now: defaultNow() };
  const summary = await generateDataset(dir, full);
  printSummary(summary);
  if (summary.checks.some((c) => c.bad > 0) || summary.markdownMismatches > 0) throw new Error('the generated data set failed its consistency checks');
  const fresh: DatasetRecord = {
    generatorVersion: GENERATOR_VERSION,
    schemaFingerprint: summary.schemaFingerprint,
    params,
    now: full.now,
    generatedAt: new Date().toISOString(),
    seconds: summary.seconds,
    bytes: summary.bytes,
    counts: summary.counts,
  };
  fs.writeFileSync(recordFile, JSON.stringify(fresh, null, 2) + '\n');
  return { dir, description: describe(fresh) };
}

function readTargets(dir: string): BenchTargets {
  const storage = createSqliteStorage(databaseFile(dir));
  try {
    return new BulkLoader(storage.db).benchTargets({ sampleQuestions: 200, voteUsers: 8, votePosts: 200 });
  } finally {
    void storage.close();
  }
}

/* ---------------- routes ---------------- */

interface RouteSpec {
  group: Group;
  name: string;
  /** What the table shows in its Request column. */
  label: string;
  connections: number;
  next: () => RequestShape;
  /** Set for routes that need a logged-in user. */
  needsSessions?: boolean;
  /** What the issue asks of this route (issue 15), checked in the report. */
  target?: Target;
}

interface Target {
  /** Least req/s as a share of the trivial route's. */
  minRatio?: number;
  /** Highest p99 latency in ms. */
  maxP99?: number;
}

/** Issue 15: anonymous pages at >= 0.25 of /livez with p99 < 50 ms at 50 connections; a member's question page at >= 0.12. */
const ANONYMOUS_PAGE: Target = { minRatio: 0.25, maxP99: 50 };
const MEMBER_QUESTION: Target = { minRatio: 0.12 };
const LIMITS = { peakRssMiB: 400, readySeconds: 2 };

function verdict(t: Target | undefined, m: Measurement, baseline: number): string {
  if (!t) return '-';
  const parts: string[] = [];
  const misses: string[] = [];
  if (t.minRatio !== undefined) {
    parts.push(`>= ${t.minRatio} x`);
    if (!(baseline > 0) || m.reqPerSec / baseline < t.minRatio) misses.push('ratio');
  }
  if (t.maxP99 !== undefined) {
    parts.push(`p99 < ${t.maxP99} ms`);
    if (!(m.p99 < t.maxP99)) misses.push('p99');
  }
  return `${parts.join(', ')}: ${misses.length === 0 ? 'met' : `not met (${misses.join(', ')})`}`;
}

interface RouteResult {
  spec: RouteSpec;
  available: boolean;
  note: string;
  m: Measurement | null;
}

const cycle = <T>(items: readonly T[]) => {
  let i = 0;
  return () => items[i++ % items.length];
};

const questionPath = (q: { id: number; slug: string; communitySlug: string }) =>
  `/c/${encodeURIComponent(q.communitySlug)}/q/${q.id}/${encodeURIComponent(q.slug)}`;

function buildRoutes(t: BenchTargets, sessions: () => BenchSession[]): RouteSpec[] {
  const routes: RouteSpec[] = [];
  const add = (group: Group, name: string, label: string, next: () => RequestShape, extra: Partial<RouteSpec> = {}) => {
    if (wanted(group, name)) routes.push({ group, name, label, connections: connections, next, ...extra });
  };
  add('trivial', 'trivial', 'GET /livez (trivial JSON route, baseline)', () => ({ path: '/livez' }));
  // A logged-in member's request: the session cookies of the members logged in at start, in turn.
  let member = 0;
  const asMember = (path: string): RequestShape => {
    const s = sessions();
    return { path, headers: { cookie: s[member++ % s.length]!.cookie } };
  };
  const anonymous = { target: ANONYMOUS_PAGE };
  add('home', 'home', 'GET / (anonymous)', () => ({ path: '/' }), anonymous);
  add('home', 'home-member', 'GET / (logged-in member)', () => asMember('/'), { needsSessions: true });
  const c = t.communities[0]?.slug ?? 'none';
  for (const sort of ['active', 'newest', 'top', 'unanswered']) {
    add('community', `community-${sort}`, `GET /c/${c}?sort=${sort}`, () => ({ path: `/c/${c}?sort=${sort}` }), anonymous);
  }
  add('community', 'community-page2', `GET /c/${c}?sort=active&page=2`, () => ({ path: `/c/${c}?sort=active&page=2` }), anonymous);
  if (t.topTag) {
    const tagPath = `/c/${c}/tags/${encodeURIComponent(t.topTag)}`;
    add('tag', 'tag', `GET /c/${c}/tags/${t.topTag}`, () => ({ path: tagPath }));
  }
  const hot = t.hotQuestions[0];
  if (hot) add('question', 'question-hot', `GET question, hot thread (#${hot.id}, ${hot.answerCount} answers)`, () => ({ path: questionPath(hot) }), anonymous);
  if (t.sampleQuestions.length > 0) {
    const paths = t.sampleQuestions.map(questionPath);
    const next = cycle(paths);
    const nextForMember = cycle(paths);
    const avg = t.sampleQuestions.reduce((s, q) => s + q.answerCount, 0) / t.sampleQuestions.length;
    add('question', 'question-random', `GET question, ${t.sampleQuestions.length} threads cycled (avg ${avg.toFixed(1)} answers, anonymous)`, () => ({ path: next() }), anonymous);
    add('question', 'question-member', `GET question, the same threads, logged-in member`, () => asMember(nextForMember()!), {
      needsSessions: true,
      target: MEMBER_QUESTION,
    });
  }
  if (t.faqEntries.length > 0) {
    const fc = t.faqEntries[0].communitySlug;
    add('faq', 'faq-index', `GET /c/${fc}/faq`, () => ({ path: `/c/${fc}/faq` }), anonymous);
    const next = cycle(t.faqEntries.map((e) => `/c/${encodeURIComponent(e.communitySlug)}/faq/e/${e.id}/${encodeURIComponent(e.slug)}`));
    add('faq', 'faq-entry', `GET FAQ entry, ${t.faqEntries.length} entries cycled`, () => ({ path: next() }), anonymous);
  }
  if (t.votePostIds.length > 0 && t.voteUsers.length > 0) {
    let i = 0;
    add(
      'vote',
      'vote',
      `POST /posts/:id/vote, ${t.voteUsers.length} members x ${t.votePostIds.length} posts in /c/${t.voteCommunitySlug}, value 1/-1 alternating`,
      () => {
        const s = sessions();
        const n = i++;
        const user = s[n % s.length];
        const post = t.votePostIds[Math.floor(n / s.length) % t.votePostIds.length];
        // Each (user, post) pair flips between +1 and -1 on every pass, so every vote is a write.
        const value = Math.floor(n / (s.length * t.votePostIds.length)) % 2 === 0 ? '1' : '-1';
        return {
          method: 'POST',
          path: `/posts/${post}/vote`,
          headers: { cookie: user.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({ value, _csrf: user.csrfToken }).toString(),
        };
      },
      { needsSessions: true },
    );
  }
  // Uncached searches: every request of a route is a query the server has not answered
  // before in the run (thousands of distinct queries, more than the engine's result cache
  // holds), so the figures describe real searches. One route per kind of query, then all
  // kinds interleaved; the cached repeat of one query is measured apart.
  const mix = searchMix();
  const kinds: Array<[string, string, string[]]> = [
    ['search-common', 'common words, en+zh, 1-3 words', mix.common],
    ['search-rare', 'rare and made-up words, alone or with a common word', mix.rare],
    ['search-zh', 'Chinese, unspaced, 1-4 words', mix.zh],
    ['search-typo', 'English with one typo in a word of 5+ letters', mix.typo],
    ['search-mix', 'all kinds interleaved, incl. 4-6 word queries', mix.all],
  ];
  for (const [name, what, list] of kinds) {
    const next = cycle(list);
    add('search', name, `GET /search?q=<${list.length} distinct queries: ${what}>`, () => ({ path: `/search?q=${encodeURIComponent(next())}` }), {
      connections: searchConnections,
    });
  }
  add('search', 'search-cached', 'GET /search?q=install device (the same query repeated: result-cache hits)', () => ({ path: '/search?q=install+device' }), {
    connections: searchConnections,
  });
  return routes;
}

/** The relevance table the suite last wrote (test/integration/search-relevance-suite.test.ts), printed beside the timings. */
function relevanceTable(): string | null {
  const file = path.join(process.cwd(), 'test-results', 'search-relevance.md');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

/* ---------------- run ---------------- */

let server: ServerHandle | null = null;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (server) await server.stop();
  }
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(130));
process.on('SIGTERM', () => void shutdown(143));
process.on('exit', () => server?.killNow());

/**
 * After a run the server may still be working through requests autocannon gave up on (a
 * slow page at 50 connections). A health check is no signal (it is answered between the
 * awaits of those renders), so wait until the server process is nearly idle, so that the
 * backlog is not charged to the next route. Returns the seconds waited.
 */
async function settle(pid: number): Promise<number> {
  const t0 = Date.now();
  let before = cpuSeconds(pid);
  while (Date.now() - t0 < 120_000) {
    await new Promise((r) => setTimeout(r, 300));
    const now = cpuSeconds(pid);
    const busy = (now - before) / 0.3;
    before = now;
    if (busy < 0.15) break;
  }
  return (Date.now() - t0) / 1000;
}

/** Queries per kind for the search yardstick (scripts/bench-lib/search-baseline.ts): about 40 s in all, with the warm-up. */
const SEARCH_CPU_QUERIES = 150;
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const cpu = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');

async function main(): Promise<void> {
  // Taken before this script adds any load of its own (during the run the server and
  // autocannon keep every core of a small machine busy, so a later reading says little).
  const loadBefore = os.loadavg()[0];
  const dataset = await ensureDataset();
  const file = databaseFile(dataset.dir);
  const targets = readTargets(dataset.dir);

  console.log(`Starting the server (npm start: node scripts/start.mjs, NODE_ENV=production, DATA_DIR=${dataset.dir}) ...`);
  // Posting is rate limited per IP (120/min by default) and every request comes from
  // 127.0.0.1 here; lift the limit so the vote benchmark measures voting, not 429s. The same
  // for the new-account vote rate (TRUST_LIMITS): generated members are young and low in
  // reputation, so most of their votes were refused with 429 after the first few.
  server = await startServer({ root: ROOT, dataDir: dataset.dir, extraEnv: { POST_RATE_LIMIT_PER_MINUTE: '1000000', TRUST_LIMITS: 'false' } });
  const startMem = serverMemory(server.pid);
  console.log(
    `  ready in ${server.readySeconds.toFixed(2)} s at ${server.baseUrl} (pid ${startMem?.pid ?? server.pid}, RSS ${startMem ? mib(startMem.rssKb * 1024) : '?'} after start)`,
  );

  const settled = await waitUntilQuiet(server.pid);
  console.log(`  start-up work in the background (search warm-up) done after ${settled.toFixed(1)} s more; measuring from now`);

  let sessions: BenchSession[] = [];
  const routes = buildRoutes(targets, () => sessions);
  if (routes.some((r) => r.needsSessions)) {
    try {
      for (const u of targets.voteUsers) sessions.push(await login(server.baseUrl, u, BENCH_PASSWORD));
      console.log(`  logged in ${sessions.length} members of /c/${targets.voteCommunitySlug}: ${sessions.map((s) => s.username).join(', ')}`);
    } catch (err) {
      console.log(`  login failed, the logged-in routes are not available: ${(err as Error).message}`);
      sessions = [];
    }
  }

  const results: RouteResult[] = [];
  let baseline = NaN;
  for (const spec of routes) {
    if (stopping) break;
    if (spec.needsSessions && sessions.length === 0) {
      results.push({ spec, available: false, note: 'not available (login failed)', m: null });
      console.log(`- ${spec.name}: not available (login failed)`);
      continue;
    }
    const first = spec.next();
    const p = await probe(server.baseUrl, first).catch((err: Error) => ({ status: 0, location: err.message }));
    if (p.status === 404 || p.status === 0) {
      const note = p.status === 404 ? 'not available (404)' : `not available (${p.location})`;
      results.push({ spec, available: false, note, m: null });
      console.log(`- ${spec.name}: ${note}`);
      continue;
    }
    let note = p.status >= 300 && p.status < 400 ? `probe ${p.status} -> ${p.location}` : p.status >= 400 ? `probe ${p.status}` : '';
    await settle(server.pid);
    const pid = server.pid;
    const m = await runLoad({ baseUrl: server.baseUrl, connections: spec.connections, seconds: duration, warmupSeconds: warmup, next: spec.next, cpu: () => cpuSeconds(pid) });
    if (m.requests === 0) note = [note, `no response completed within ${duration} s`].filter(Boolean).join('; ');
    const drained = await settle(server.pid);
    if (drained > 1) note = [note, `server busy ${drained.toFixed(1)} s after the run`].filter(Boolean).join('; ');
    if (spec.group === 'trivial') baseline = m.reqPerSec;
    results.push({ spec, available: true, note, m });
    const ratio = Number.isFinite(baseline) && baseline > 0 ? ` ${(m.reqPerSec / baseline).toFixed(3)}x trivial` : '';
    console.log(
      `- ${spec.name}: ${fmt(Math.round(m.reqPerSec))} req/s, CPU ${cpu(m.cpuMsPerReq)} ms/req, p95 ${ms(m.p95)} ms, p99 ${ms(m.p99)} ms, non-2xx/3xx ${fmt(m.bad)}${ratio}` +
        `  [${Object.entries(m.statuses).map(([k, v]) => `${k}:${v}`).join(' ')}]${note ? `  (${note})` : ''}`,
    );
  }

  // The baseline is measured again after the routes and the higher of the two readings is
  // used: one reading of /livez varied from 15k to 27k req/s between runs on the idle 2-core
  // machine, and a low first reading would flatter every ratio of the run.
  const trivialSpec = routes.find((r) => r.group === 'trivial');
  if (trivialSpec && !stopping && Number.isFinite(baseline)) {
    await settle(server.pid);
    const pid = server.pid;
    const again = await runLoad({ baseUrl: server.baseUrl, connections: trivialSpec.connections, seconds: duration, warmupSeconds: warmup, next: trivialSpec.next, cpu: () => cpuSeconds(pid) });
    console.log(`- trivial again after the routes: ${fmt(Math.round(again.reqPerSec))} req/s, CPU ${cpu(again.cpuMsPerReq)} ms/req (first reading ${fmt(Math.round(baseline))} req/s; ratios use the higher)`);
    results.push({ spec: { ...trivialSpec, name: 'trivial-again', label: 'GET /livez again after the routes (the baseline is the higher reading)' }, available: true, note: '', m: again });
    baseline = Math.max(baseline, again.reqPerSec);
  }

  const mem = serverMemory(server.pid);
  const readySeconds = server.readySeconds;
  await server.stop();
  server = null;
  const dbBytes = databaseBytes(file);
  // The yardstick of the search routes, on the same data and queries, once the server is gone.
  let searchCpu: SearchCpuRow[] = [];
  if (!stopping && results.some((r) => r.spec.group === 'search' && r.m)) {
    const mix = searchMix();
    console.log(`Measuring the search yardstick in this process (app engine vs plain FTS5 bm25, ${SEARCH_CPU_QUERIES} queries per kind) ...`);
    searchCpu = await searchCpuBeside(dataset.dir, [['common', mix.common], ['rare', mix.rare], ['zh', mix.zh], ['typo', mix.typo], ['mix', mix.all]], SEARCH_CPU_QUERIES);
  }

  /* ---------------- report ---------------- */
  const lines: string[] = [];
  lines.push('');
  lines.push(`## Benchmark results (${new Date().toISOString()})`);
  lines.push('');
  lines.push(`- Data set: ${dataset.description}`);
  lines.push(
    `- Load: autocannon, ${connections} connections (search: ${searchConnections}), ${duration} s measured per route after ${warmup} s of warm-up on the same connections`,
  );
  lines.push(`- Machine: ${os.cpus().length} CPU (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}; load generator and server share it`);
  lines.push('- Baseline ("x trivial"): GET /livez of the same server process, a trivial JSON route (no database access); DESIGN.md section 10');
  const busy = loadBefore > os.cpus().length * 0.75;
  lines.push(
    `- Load average (1 min) when the benchmark started: ${loadBefore.toFixed(1)}${busy ? ' - other work was running on this machine, the figures are unreliable' : ''}`,
  );
  const peakMiB = mem ? (mem.peakKb * 1024) / 2 ** 20 : NaN;
  const met = (ok: boolean) => (ok ? 'met' : 'not met');
  lines.push(
    `- Server peak RSS (VmHWM): ${mem ? mib(mem.peakKb * 1024) : 'unknown'} (target < ${LIMITS.peakRssMiB} MiB: ${met(peakMiB < LIMITS.peakRssMiB)}); database file: ${mib(dbBytes)}`,
  );
  lines.push(
    `- Ready in ${readySeconds.toFixed(2)} s (spawn to first GET /livez ok; target < ${LIMITS.readySeconds} s on an idle machine at full data: ${met(readySeconds < LIMITS.readySeconds)})`,
  );
  lines.push('- CPU ms/req: server CPU time (user + system, from /proc) during the measured window divided by the responses in it');
  lines.push('');
  lines.push('| Route | Request | req/s | CPU ms/req | p95 ms | p99 ms | non-2xx/3xx | x trivial | target |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---|');
  for (const r of results) {
    if (!r.m) {
      lines.push(`| ${r.spec.name} | ${r.spec.label} | ${r.note} | | | | | | |`);
      continue;
    }
    const ratio = Number.isFinite(baseline) && baseline > 0 ? (r.m.reqPerSec / baseline).toFixed(3) : '-';
    lines.push(
      `| ${r.spec.name} | ${r.spec.label}${r.spec.connections !== connections ? ` (${r.spec.connections} conn.)` : ''}${r.note ? ` (${r.note})` : ''} | ${fmt(Math.round(r.m.reqPerSec))} | ${cpu(r.m.cpuMsPerReq)} | ${ms(r.m.p95)} | ${ms(r.m.p99)} | ${fmt(r.m.bad)} | ${ratio} | ${verdict(r.spec.target, r.m, baseline)} |`,
    );
  }
  if (searchCpu.length > 0) {
    lines.push('');
    lines.push('Search CPU beside a plain baseline, same queries and database, in this process after the run (no HTTP):');
    lines.push('app: the engine as the search page asks (20 hits, facets, one result per thread, snippets); plain bm25: query words OR-ed, FTS5 bm25, top 20 ids (scripts/bench-lib/search-baseline.ts)');
    lines.push('');
    lines.push('| queries | n | app CPU ms/search | plain bm25 CPU ms/query | app / bm25 |');
    lines.push('|---|---:|---:|---:|---:|');
    for (const r of searchCpu) lines.push(`| ${r.kind} | ${r.queries} | ${cpu(r.appMs)} | ${cpu(r.bm25Ms)} | ${(r.appMs / r.bm25Ms).toFixed(2)} |`);
  }
  console.log(lines.join('\n'));
  if (results.some((r) => r.spec.group === 'search')) {
    const table = relevanceTable();
    console.log(table ? `\nSearch relevance (last run of the relevance suite):\n${table}` : '\n(no relevance figures yet: run test/integration/search-relevance-suite.test.ts)');
  }

  if (values.json) {
    fs.writeFileSync(
      values.json,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          dataset: dataset.description,
          connections,
          searchConnections,
          duration,
          peakRssBytes: mem ? mem.peakKb * 1024 : null,
          readySeconds,
          databaseBytes: dbBytes,
          searchCpu,
          results: results.map((r) => ({
            name: r.spec.name,
            request: r.spec.label,
            available: r.available,
            note: r.note,
            ...r.m,
            target: r.m ? verdict(r.spec.target, r.m, baseline) : null,
          })),
        },
        null,
        2,
      ) + '\n',
    );
  }
}

main().then(
  () => shutdown(0),
  async (err) => {
    console.error(err instanceof Error ? err.message : err);
    if (server) console.error(`--- last server output ---\n${server.output()}`);
    await shutdown(1);
  },
);
