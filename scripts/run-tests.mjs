// `npm test`: the unit, contract and integration suite, then the browser suite, always both
// (a failure in the first must not hide the state of the second). Exits 1 if either failed.
// To run one suite or one file: `npm run test:unit -- test/unit/x.test.ts`, `npm run test:e2e`.
import { spawnSync } from 'node:child_process';

const suites = [
  ['unit, contract and integration tests', 'vitest.config.ts'],
  ['browser tests (Debian chromium)', 'vitest.e2e.config.ts'],
];
let failed = false;
for (const [label, config] of suites) {
  console.log(`\n==> ${label}`);
  const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', config], { stdio: 'inherit' });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
