/*
 * CI guard for .github/workflows/contract.yml: reads vitest's JSON report and fails unless the
 * real-server suites actually ran. Without it, a workflow whose servers never started (or whose
 * MONGODB_URI / MEILI_URL went missing) is green, because those suites skip themselves.
 *
 *   npx tsx scripts/check-contract-report.ts contract-report.json
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Each real-server suite, by the file that holds it, and the least number of its tests that must pass. */
export const REQUIRED_SUITES: ReadonlyArray<{ file: string; label: string; minPassed: number }> = [
  { file: 'test/contract/mongo.test.ts', label: 'MongoDB contract', minPassed: 150 },
  { file: 'test/contract/search-meili.test.ts', label: 'Meilisearch contract', minPassed: 18 },
];

interface Report {
  testResults?: Array<{ name: string; assertionResults?: Array<{ status: string }> }>;
}

export interface SuiteCount {
  label: string;
  passed: number;
  failed: number;
  skipped: number;
  ok: boolean;
}

/** Counts per required suite; a suite is ok when it has no failure, nothing skipped and enough passes. */
export function checkContractReport(report: Report): SuiteCount[] {
  return REQUIRED_SUITES.map(({ file, label, minPassed }) => {
    const results = (report.testResults ?? []).filter((r) => r.name.replace(/\\/g, '/').endsWith(file)).flatMap((r) => r.assertionResults ?? []);
    const passed = results.filter((a) => a.status === 'passed').length;
    const failed = results.filter((a) => a.status === 'failed').length;
    const skipped = results.length - passed - failed;
    return { label, passed, failed, skipped, ok: failed === 0 && skipped === 0 && passed >= minPassed };
  });
}

function main(): void {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: check-contract-report <vitest-json-report>');
    process.exit(2);
  }
  const counts = checkContractReport(JSON.parse(readFileSync(file, 'utf8')) as Report);
  for (const c of counts) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.label}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
  if (counts.some((c) => !c.ok)) {
    console.error('A real-server contract suite did not run in full: check that the services started and MONGODB_URI / MEILI_URL are set.');
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
