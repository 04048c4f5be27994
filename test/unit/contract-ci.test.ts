import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkContractReport } from '../../scripts/check-contract-report.js';

/*
 * The contract workflow is the only place MongoDB and Meilisearch run for real, and no Docker
 * runs here, so these checks read the files it depends on. (YAML is read as text: the
 * properties checked are one line each.)
 */

const compose = readFileSync('docker-compose.yml', 'utf8');
const workflow = readFileSync('.github/workflows/contract.yml', 'utf8');

/** The lines of one top-level service of docker-compose.yml. */
function service(name: string): string {
  const m = new RegExp(`\\n  ${name}:\\n([\\s\\S]*?)(?=\\n  [a-z][\\w-]*:\\n|\\nvolumes:)`).exec(compose);
  if (!m) throw new Error(`no service ${name}`);
  return m[1]!;
}

describe('docker-compose.yml', () => {
  it('has no required-variable interpolation, which compose enforces for the whole file (so `up mongo meilisearch` works without app secrets)', () => {
    expect(compose).not.toMatch(/\$\{[A-Z_]+:?\?/);
  });

  it('gives the app no default Meilisearch key or cookie secret (the app refuses to start without real ones)', () => {
    const app = service('app');
    expect(app).toMatch(/MEILI_MASTER_KEY: \$\{MEILI_MASTER_KEY:-\}/);
    expect(app).toMatch(/COOKIE_SECRET: \$\{COOKIE_SECRET:-\}/);
    expect(app).toContain('NODE_ENV: production');
  });

  it('reports mongo healthy only when it is the writable primary, with a failing exit code otherwise', () => {
    const mongo = service('mongo');
    expect(mongo).toContain('db.hello().isWritablePrimary');
    expect(mongo).toMatch(/if \(!db\.hello\(\)\.isWritablePrimary\) quit\(1\)/);
  });
});

describe('contract workflow', () => {
  it('writes a JSON report and checks it in a step that runs even after a failure', () => {
    expect(workflow).toMatch(/npx vitest run test\/contract .*--reporter=json --outputFile\.json=contract-report\.json/);
    const check = workflow.indexOf('scripts/check-contract-report.ts contract-report.json');
    expect(check).toBeGreaterThan(workflow.indexOf('--outputFile.json=contract-report.json'));
    expect(workflow.slice(workflow.lastIndexOf('- name:', check), check)).toContain('if: always()');
  });

  it('sets the servers the real-server suites need', () => {
    expect(workflow).toMatch(/MONGODB_URI: mongodb:\/\/localhost:27017/);
    expect(workflow).toMatch(/MEILI_URL: http:\/\/localhost:7700/);
  });
});

describe('check-contract-report', () => {
  const result = (file: string, statuses: string[]) => ({ name: `/home/runner/work/forum/${file}`, assertionResults: statuses.map((status) => ({ status })) });
  const many = (n: number, status = 'passed') => Array.from({ length: n }, () => status);

  it('fails when the real-server suites were skipped (no servers, no MONGODB_URI)', () => {
    const counts = checkContractReport({ testResults: [result('test/contract/mongo.test.ts', many(190, 'skipped')), result('test/contract/search-meili.test.ts', many(20, 'skipped')), result('test/contract/sqlite.test.ts', many(60))] });
    expect(counts.map((c) => [c.label, c.ok, c.passed, c.skipped])).toEqual([
      ['MongoDB contract', false, 0, 190],
      ['Meilisearch contract', false, 0, 20],
    ]);
  });

  it('fails when a suite is missing from the report or only partly ran', () => {
    expect(checkContractReport({ testResults: [result('test/contract/mongo.test.ts', many(190))] }).map((c) => c.ok)).toEqual([true, false]);
    expect(checkContractReport({ testResults: [result('test/contract/mongo.test.ts', [...many(189), 'skipped']), result('test/contract/search-meili.test.ts', many(20))] }).map((c) => c.ok)).toEqual([false, true]);
    expect(checkContractReport({}).every((c) => !c.ok)).toBe(true);
  });

  it('passes when both suites ran in full', () => {
    const counts = checkContractReport({ testResults: [result('test/contract/mongo.test.ts', many(190)), result('test\\contract\\search-meili.test.ts', many(20))] });
    expect(counts.every((c) => c.ok)).toBe(true);
  });
});
