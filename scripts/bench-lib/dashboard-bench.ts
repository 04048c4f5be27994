import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteStorage } from '../../src/db/sqlite/index.js';
import type { SelfServiceEvent } from '../../src/db/support-metrics-port.js';
import { aggregateDay, DAY_MS, dayOf, dayStart } from '../../src/domain/support-metrics.js';
import type { SupportRating, SupportTicket } from '../../src/domain/support-types.js';
import { CommunityService } from '../../src/services/communities/community-service.js';
import { nextMonth, SupportDashboardService } from '../../src/services/support/dashboard-service.js';
import { recomputeMonth } from '../../src/services/support/daily-job.js';
import { dashboardView } from '../../src/presenters/support-dashboard.js';
import { translate } from '../../src/i18n/index.js';
import { Rng } from './prng.js';

/*
 * The support dashboard at scale (issue 12): `npm run bench -- --dashboard [--questions N]`.
 * Builds a year of daily aggregates for N support questions (default 100k) in one business
 * community with 20 staff and 5k members who ask and answer, the way the daily job writes them
 * (aggregateDay over each day's facts, replaceDay through the port), then times what a
 * dashboard request does: read the aggregates, compute the period and the previous one,
 * build the tables and render the SVG charts. Charts are cached by their data, so both a
 * repeated range (cached) and a new range every time (rendered) are measured.
 */

export interface DashboardBenchResult {
  questions: number;
  aggregateRows: number;
  buildSeconds: number;
  cases: Array<{ name: string; runs: number; p50: number; p95: number; max: number; cpuP50: number; cpuP95: number }>;
}

const STAFF = 20;
const MEMBERS = 5000;

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export async function benchDashboard(options: { questions: number; runs: number; log?: (line: string) => void }): Promise<DashboardBenchResult> {
  const log = options.log ?? console.log;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dashboard-bench-'));
  const storage = createSqliteStorage(path.join(dir, 'forum.sqlite'));
  try {
    const started = performance.now();
    const admin = await storage.users.create({ username: 'bench_admin', email: 'admin@bench.test', displayName: 'admin', passwordHash: 'x' });
    const community = await storage.communities.create({ slug: 'bench-support', name: 'Bench Support', kind: 'business', descriptionMd: '', descriptionHtml: '', defaultLocale: 'en' });
    const staff = [];
    for (let i = 0; i < STAFF; i++) {
      const u = await storage.users.create({ username: `staff_${i}`, email: `staff${i}@bench.test`, displayName: `staff ${i}`, passwordHash: 'x' });
      await storage.memberships.upsert(community.id, u.id, 'staff');
      staff.push(u.id);
    }
    const rng = new Rng('support-dashboard');
    const rand = () => rng.next();
    const today = dayStart(dayOf(Date.now()));
    const first = today - 364 * DAY_MS;
    const perDay = Math.max(1, Math.round(options.questions / 365));
    let rows = 0;
    let q = 1;
    for (let d = 0; d < 365; d++) {
      const start = first + d * DAY_MS;
      const tickets: SupportTicket[] = [];
      const ratings: SupportRating[] = [];
      const selfService: SelfServiceEvent[] = [];
      for (let i = 0; i < perDay; i++, q++) {
        // Facts that happen on this day: a first response and a resolution of questions opened earlier.
        const responded = start + rand() * DAY_MS;
        const urgent = rand() < 0.15;
        const openedAt = responded - rand() * (urgent ? 6 : 40) * 3_600_000;
        const resolvedAt = rand() < 0.7 ? start + rand() * DAY_MS : null;
        tickets.push({
          questionId: String(q), communityId: community.id, askerId: admin.id, urgent, urgentReason: '', status: resolvedAt ? 'resolved' : 'open', assigneeId: null,
          openedAt: start + rand() * DAY_MS, warnAt: null, dueAt: null, pausedRemainingMs: null, respondedAt: responded, responseKind: 'staff-answer',
          firstStaffResponseAt: responded, firstStaffResponderId: staff[Math.floor(rand() * STAFF)]!, resolvedAt, reopenCount: 0, warnedAt: null,
          breachedAt: rand() < 0.1 ? openedAt + 1 : null, updatedAt: responded,
        });
        if (resolvedAt && rand() < 0.4) ratings.push({ questionId: String(q), communityId: community.id, askerId: admin.id, score: 1 + Math.floor(rand() * 5), comment: '', createdAt: resolvedAt, updatedAt: resolvedAt });
        for (let s = 0; s < 3; s++) selfService.push({ kind: rand() < 0.6 ? 'search' : 'faq_view', browserId: `b${Math.floor(rand() * 50_000)}`, communityId: community.id, at: start + rand() * DAY_MS });
      }
      selfService.sort((a, b) => a.at - b.at);
      const answers = new Map<string, number>();
      for (let i = 0; i < perDay * 2; i++) {
        const author = String(Math.floor(rand() * MEMBERS) + 1000);
        answers.set(author, (answers.get(author) ?? 0) + 1);
      }
      // Askers (a third returning), members active that day (askers and answerers), FAQ votes, accepted answers.
      const askers = new Map<string, { count: number; askedBefore: boolean }>();
      for (let i = 0; i < perDay; i++) {
        const id = String(Math.floor(rand() * MEMBERS) + 1000);
        askers.set(id, { count: (askers.get(id)?.count ?? 0) + 1, askedBefore: rand() < 0.33 });
      }
      const active = new Set([...answers.keys(), ...askers.keys()]);
      const accepted = tickets.filter((t) => t.resolvedAt !== null).map((t) => ({ communityId: community.id, questionId: t.questionId, byStaff: rand() < 0.6 }));
      const day = dayOf(start);
      const aggregates = aggregateDay({
        day, tickets, reopened: [], ratings, answers: [...answers].map(([authorId, count]) => ({ communityId: community.id, authorId, count })), selfService,
        helpful: [{ communityId: community.id, helpful: true, count: Math.round(perDay * 0.8) }, { communityId: community.id, helpful: false, count: Math.round(perDay * 0.2) }],
        accepted,
        active: [...active].map((userId) => ({ communityId: community.id, userId })),
        askers: [...askers].map(([userId, a]) => ({ communityId: community.id, userId, ...a })),
      });
      await storage.supportMetrics.replaceDay(day, aggregates);
      rows += aggregates.length;
    }
    // The job's monthly roll-ups of the member lists, as it writes them after each month's days.
    for (let m = dayOf(first).slice(0, 7); m <= dayOf(today).slice(0, 7); m = nextMonth(m)) await recomputeMonth(storage.supportMetrics, m);
    const buildSeconds = (performance.now() - started) / 1000;
    log(`dashboard bench: ${(q - 1).toLocaleString('en-US')} questions over 365 days, ${rows.toLocaleString('en-US')} aggregate rows (built in ${buildSeconds.toFixed(1)} s)`);

    const communities = new CommunityService(storage.communities, storage.memberships, storage.users);
    const service = new SupportDashboardService(storage.supportMetrics, communities, storage.memberships, storage.users);
    const viewer = { ...admin, isAdmin: true };
    const t = (key: string, params?: Record<string, string | number>) => translate('en', key, params);
    const request = async (from: string, to: string) => {
      const d = await service.forCommunity(viewer, community.slug, { from, to });
      await dashboardView(d, t, '/c/bench-support/support/dashboard', 'bench');
    };
    const cases: DashboardBenchResult['cases'] = [];
    const measure = async (name: string, range: (i: number) => [string, string]) => {
      await request(...range(-1));
      const times: number[] = [];
      // CPU time of this process as well: on a shared machine it varies far less than wall time.
      const cpu: number[] = [];
      for (let i = 0; i < options.runs; i++) {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        await request(...range(i));
        const c1 = process.cpuUsage(c0);
        cpu.push((c1.user + c1.system) / 1000);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      cpu.sort((a, b) => a - b);
      const c = { name, runs: options.runs, p50: percentile(times, 0.5), p95: percentile(times, 0.95), max: times[times.length - 1]!, cpuP50: percentile(cpu, 0.5), cpuP95: percentile(cpu, 0.95) };
      cases.push(c);
      log(`  ${name.padEnd(42)} p50 ${c.p50.toFixed(1).padStart(7)} ms   p95 ${c.p95.toFixed(1).padStart(7)} ms   max ${c.max.toFixed(1).padStart(7)} ms   cpu p50 ${c.cpuP50.toFixed(1).padStart(7)} ms   cpu p95 ${c.cpuP95.toFixed(1).padStart(7)} ms`);
    };
    const last = (days: number, shift = 0): [string, string] => [dayOf(today - (days - 1 + shift) * DAY_MS), dayOf(today - shift * DAY_MS)];
    await measure('last 30 days (charts cached)', () => last(30));
    await measure('30 days, a new range each time (charts drawn)', (i) => last(30, (i + 1) % 300));
    await measure('last 365 days (charts cached)', () => last(365));
    await measure('182 days, a new range each time', (i) => last(182, (i + 1) % 150));
    return { questions: q - 1, aggregateRows: rows, buildSeconds, cases };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
