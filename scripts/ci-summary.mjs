// Sums vitest JSON reports into the one line CI ends with: "N passed, N failed".
// A report that is missing or unreadable counts as one failed test, so a stage that
// crashed before writing its report can never look green. `--also-failed=N` adds checks
// that failed outside vitest (the type-check). Exits 1 when anything failed.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const extra = args.find((a) => a.startsWith('--also-failed='));
const files = args.filter((a) => !a.startsWith('--'));
let passed = 0;
let failed = extra ? Number(extra.split('=')[1]) || 0 : 0;
for (const file of files) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    const p = Number(report.numPassedTests);
    const f = Number(report.numFailedTests);
    if (!Number.isFinite(p) || !Number.isFinite(f)) throw new Error('no test counts');
    passed += p;
    failed += f;
    // A suite that failed to load (syntax error, failing beforeAll) has no failed test
    // but a failed file; count it so the summary cannot be all green.
    if (f === 0 && report.success === false) failed += 1;
  } catch (err) {
    process.stderr.write(`ci-summary: ${file}: ${err instanceof Error ? err.message : String(err)}; counted as 1 failed\n`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
