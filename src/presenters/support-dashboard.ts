import { stringify } from 'csv-stringify/sync';
import type { Dashboard, PeriodMetrics, ResponseStats } from '../services/support/dashboard-service.js';
import { barChart, lineChart } from './support-charts.js';

type T = (key: string, params?: Record<string, string | number>) => string;

/** A table of the dashboard: shown under its chart and downloadable as CSV (?format=csv&table=id). */
export interface DashTable {
  id: string;
  caption: string;
  head: string[];
  rows: string[][];
  csvUrl: string;
}

export interface DashChart {
  id: string;
  caption: string;
  svg: string;
  tableId: string;
}

export interface DashboardView {
  title: string;
  range: { from: string; to: string; prevFrom: string; prevTo: string };
  charts: DashChart[];
  tables: DashTable[];
  baseUrl: string;
}

const hours = (ms: number | null, t: T) => (ms === null ? '–' : t('support.dash.hours', { n: (ms / 3_600_000).toFixed(1) }));
const pct = (share: number | null) => (share === null ? '–' : `${Math.round(share * 100)} %`);
const num = (n: number | null, digits = 0) => (n === null ? '–' : n.toFixed(digits));

function responseRows(label: string, now: ResponseStats, before: ResponseStats, t: T): string[][] {
  return [
    [t('support.dash.answeredCount', { segment: label }), String(now.count), String(before.count)],
    [t('support.dash.median', { segment: label }), hours(now.medianMs, t), hours(before.medianMs, t)],
    [t('support.dash.p90', { segment: label }), hours(now.p90Ms, t), hours(before.p90Ms, t)],
    [t('support.dash.within', { segment: label }), pct(now.withinShare), pct(before.withinShare)],
  ];
}

function comparisons(c: PeriodMetrics, b: PeriodMetrics, t: T): Record<string, string[][]> {
  const share = (part: number, whole: number) => pct(whole > 0 ? part / whole : null);
  return {
    response: [...responseRows(t('support.dash.overall'), c.response, b.response, t), ...responseRows(t('support.dash.urgent'), c.urgent, b.urgent, t)],
    resolution: [
      [t('support.dash.opened'), String(c.opened), String(b.opened)],
      [t('support.dash.resolved'), String(c.resolved), String(b.resolved)],
      [t('support.dash.resolutionRate'), pct(c.resolutionRate), pct(b.resolutionRate)],
      [t('support.dash.timeToResolution'), hours(c.resolutionMedianMs, t), hours(b.resolutionMedianMs, t)],
      [t('support.dash.reopened'), String(c.reopened), String(b.reopened)],
    ],
    satisfaction: [
      [t('support.dash.ratings'), String(c.ratings), String(b.ratings)],
      [t('support.dash.ratingAverage'), num(c.ratingAverage, 2), num(b.ratingAverage, 2)],
      [t('support.dash.ratingResponseRate'), pct(c.ratingResponseRate), pct(b.ratingResponseRate)],
    ],
    selfService: [
      [t('support.dash.searches'), String(c.searches), String(b.searches)],
      [t('support.dash.searchesWithoutAsking'), share(c.searchesWithoutAsking, c.searches), share(b.searchesWithoutAsking, b.searches)],
      [t('support.dash.faqViews'), String(c.faqViews), String(b.faqViews)],
      [t('support.dash.faqViewsWithoutAsking'), share(c.faqViewsWithoutAsking, c.faqViews), share(b.faqViewsWithoutAsking, b.faqViews)],
      [t('support.dash.similarClicks'), String(c.similarClicks), String(b.similarClicks)],
      [t('support.dash.similarWithoutPosting'), share(c.similarClicksWithoutPosting, c.similarClicks), share(b.similarClicksWithoutPosting, b.similarClicks)],
      [t('support.dash.faqVotes'), String(c.faqHelpful + c.faqNotHelpful), String(b.faqHelpful + b.faqNotHelpful)],
      [t('support.dash.faqHelpfulShare'), share(c.faqHelpful, c.faqHelpful + c.faqNotHelpful), share(b.faqHelpful, b.faqHelpful + b.faqNotHelpful)],
    ],
    contribution: [
      [t('support.dash.answers'), String(c.answers), String(b.answers)],
      [t('support.dash.activeMembers'), String(c.answeringMembers), String(b.answeringMembers)],
      [t('support.dash.activeMembersAll'), String(c.activeMembers), String(b.activeMembers)],
      [t('support.dash.answersPerMember'), num(c.activeMembers > 0 ? c.answers / c.activeMembers : null, 1), num(b.activeMembers > 0 ? b.answers / b.activeMembers : null, 1)],
      [t('support.dash.acceptedByCustomers'), String(c.acceptedByCustomers), String(b.acceptedByCustomers)],
      [t('support.dash.acceptedByStaff'), String(c.acceptedByStaff), String(b.acceptedByStaff)],
      [t('support.dash.customerAcceptedShare'), share(c.acceptedByCustomers, c.acceptedByCustomers + c.acceptedByStaff), share(b.acceptedByCustomers, b.acceptedByCustomers + b.acceptedByStaff)],
    ],
    loyalty: [
      [t('support.dash.askers'), String(c.askers), String(b.askers)],
      [t('support.dash.returningAskers'), String(c.returningAskers), String(b.returningAskers)],
      [t('support.dash.returningShare'), share(c.returningAskers, c.askers), share(b.returningAskers, b.askers)],
    ],
  };
}

/** Every table of the dashboard, localized (the page and the CSV download share them). */
export function dashboardTables(d: Dashboard, t: T, baseUrl: string): DashTable[] {
  const period = [t('support.dash.measure'), t('support.dash.thisPeriod'), t('support.dash.previousPeriod')];
  const cmp = comparisons(d.current, d.before, t);
  const query = `from=${d.range.from}&to=${d.range.to}`;
  const table = (id: string, head: string[], rows: string[][]): DashTable => ({ id, caption: t(`support.dash.table.${id}`), head, rows, csvUrl: `${baseUrl}?${query}&format=csv&table=${id}` });
  return [
    table('response', period, cmp.response!),
    table('staff', [t('support.dash.staffMember'), t('support.dash.answeredShort'), t('support.dash.medianShort'), t('support.dash.p90Short'), t('support.dash.withinShort')], d.staff.map((s) => [s.name, String(s.stats.count), hours(s.stats.medianMs, t), hours(s.stats.p90Ms, t), pct(s.stats.withinShare)])),
    table('resolution', period, cmp.resolution!),
    table('satisfaction', period, cmp.satisfaction!),
    table('distribution', [t('support.dash.score'), t('support.dash.thisPeriod'), t('support.dash.previousPeriod')], [1, 2, 3, 4, 5].map((s) => [String(s), String(d.current.distribution[s - 1]), String(d.before.distribution[s - 1])])),
    table('selfService', period, cmp.selfService!),
    table('contribution', period, cmp.contribution!),
    table('top', [t('support.dash.member'), t('support.dash.answers')], d.top.map((c) => [c.name, String(c.answers)])),
    table('loyalty', period, cmp.loyalty!),
    table(
      'cohorts',
      [t('support.dash.month'), t('support.dash.cohortActive'), t('support.dash.cohortRetained'), t('support.dash.cohortShare')],
      d.cohorts.map((c) => [c.month, String(c.active), c.retained === null ? '–' : String(c.retained), c.retained === null ? t('support.dash.cohortPending') : pct(c.active > 0 ? c.retained / c.active : null)]),
    ),
    table('daily', [t('support.dash.day'), t('support.dash.opened'), t('support.dash.resolved'), t('support.dash.medianShort')], d.daily.map((r) => [r.day, String(r.opened), String(r.resolved), hours(r.responseMedianMs, t)])),
  ];
}

export function tableCsv(table: DashTable): string {
  // A byte-order mark so spreadsheet programs read the Chinese text as UTF-8.
  return `\uFEFF${stringify([table.head, ...table.rows])}`;
}

export async function dashboardView(d: Dashboard, t: T, baseUrl: string, title: string): Promise<DashboardView> {
  const tables = dashboardTables(d, t, baseUrl);
  const short = (day: string) => day.slice(5);
  const [volume, response, distribution] = await Promise.all([
    barChart(
      d.daily.flatMap((r) => [
        { label: short(r.day), value: r.opened, series: t('support.dash.opened') },
        { label: short(r.day), value: r.resolved, series: t('support.dash.resolved') },
      ]),
      t('support.dash.questions'),
    ),
    // Days without a first response have no median: they are left out, not drawn as 0.
    lineChart(d.daily.flatMap((r) => (r.responseMedianMs === null ? [] : [{ label: short(r.day), value: Math.round(r.responseMedianMs / 360_000) / 10 }])), t('support.dash.hoursAxis')),
    barChart(
      [1, 2, 3, 4, 5].flatMap((s) => [
        { label: String(s), value: d.current.distribution[s - 1]!, series: t('support.dash.thisPeriod') },
        { label: String(s), value: d.before.distribution[s - 1]!, series: t('support.dash.previousPeriod') },
      ]),
      t('support.dash.ratings'),
      360,
    ),
  ]);
  return {
    title,
    range: { from: d.range.from, to: d.range.to, prevFrom: d.previous.from, prevTo: d.previous.to },
    charts: [
      { id: 'volume', caption: t('support.dash.chart.volume'), svg: volume, tableId: 'daily' },
      { id: 'response', caption: t('support.dash.chart.response'), svg: response, tableId: 'daily' },
      { id: 'distribution', caption: t('support.dash.chart.distribution'), svg: distribution, tableId: 'distribution' },
    ],
    tables,
    baseUrl,
  };
}
