import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { FTS_TABLES, structureOf } from '../../src/search/sqlite-fts/segments.js';

/*
 * The maintenance commands an operator runs (npm run seed / create-admin / reindex /
 * recompute-reputation / import:stackexchange), run as processes against a real database
 * file: what they print, their exit codes, the production refusal, and that what they write
 * is there for the next command.
 */
const ROOT = path.resolve(__dirname, '../..');
let dataDir: string;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts', script), ...args],
      { cwd: ROOT, // Vitest sets BASE_URL=/ for its own use; the forum's configuration reads the same name.
      env: { ...process.env, NODE_ENV: 'test', DATA_DIR: dataDir, BASE_URL: 'http://127.0.0.1:3000', LOG_LEVEL: 'warn', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forum-scripts-'));
});
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('maintenance commands', () => {
  it('print their usage for --help (exit 0) and for an unknown option (exit 2), before touching any database', async () => {
    const help = await run('create-admin.ts', ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run create-admin');
    const unknown = await run('reindex.ts', ['--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--frobnicate'");
    expect(unknown.stderr).toContain('Usage: npm run reindex');
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('refuse a production configuration without --force (exit 2) and leave it untouched', async () => {
    const production = { NODE_ENV: 'production', COOKIE_SECRET: randomBytes(32).toString('hex') };
    const refused = await run('seed.ts', [], production);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Refusing to seed demo accounts');
    const alsoRefused = await run('create-admin.ts', ['--username', 'root', '--email', 'root@example.com', '--password', 'a long enough password'], production);
    expect(alsoRefused.code).toBe(2);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('seed once, create and then recognise an admin, reindex what was seeded, and find the counters consistent', async () => {
    const seeded = await run('seed.ts', []);
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain('Seeded demo content');
    const again = await run('seed.ts', []);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already has content');

    const credentials = ['--username', 'opsroot', '--email', 'opsroot@example.com', '--password', 'a long enough password'];
    const created = await run('create-admin.ts', credentials);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Created site admin "opsroot" <opsroot@example.com>');
    const known = await run('create-admin.ts', credentials);
    expect(known.code).toBe(0);
    expect(known.stdout).toContain('"opsroot" is already a site admin');
    const existing = await run('create-admin.ts', ['--username', 'alice']);
    expect(existing.code).toBe(1);
    expect(existing.stderr).toContain('already exists. Re-run with --promote');

    const reindexed = await run('reindex.ts', []);
    expect(reindexed.code).toBe(0);
    const counts = reindexed.stdout.match(/Indexed (\d+) questions, (\d+) answers and (\d+) FAQ entries/);
    expect(counts).not.toBeNull();
    expect(Number(counts![1])).toBeGreaterThan(0);
    expect(Number(counts![2])).toBeGreaterThan(0);

    const recomputed = await run('recompute-reputation.ts', []);
    expect(recomputed.code).toBe(0);
    expect(recomputed.stdout).toMatch(/: 0 post scores and 0 reputations changed\./);
  });

  it('import:stackexchange ends with the search index merged into one segment per table', async () => {
    const dump = [path.resolve(ROOT, '../shared'), path.resolve(ROOT, '../../shared')]
      .map((shared) => path.join(shared, 'datasets/quantumcomputing.stackexchange'))
      .find((dir) => fs.existsSync(path.join(dir, 'Posts.xml')))!;
    const imported = await run('import-stackexchange.ts', ['--dir', dump, '--community', 'qc', '--create', '--name', 'Quantum computing']);
    expect(imported.code).toBe(0);
    const merged = imported.stdout.match(/Search index merged: (\d+) segments -> (\d+) in/);
    expect(merged).not.toBeNull();
    expect(Number(merged![1])).toBeGreaterThan(Number(merged![2]));
    const db = new Database(path.join(dataDir, 'forum.sqlite'), { readonly: true });
    try {
      for (const table of FTS_TABLES) expect(structureOf(db, table).segments).toBe(1);
    } finally {
      db.close();
    }
  }, 120_000);

  it('import:stackexchange names what is missing (exit 2) instead of importing nothing', async () => {
    const missing = await run('import-stackexchange.ts', ['--community', 'x']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Usage: npm run import:stackexchange');
    const notADump = await run('import-stackexchange.ts', ['--dir', dataDir, '--community', 'x']);
    expect(notADump.code).toBe(2);
    expect(notADump.stderr).toContain('has no Posts.xml');
  });
});
