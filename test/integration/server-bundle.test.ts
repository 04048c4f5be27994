import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, ensureServerBuilt, sourceFingerprint } from '../../scripts/build.mjs';
import { freePort } from '../../scripts/bench-lib/server.js';

/*
 * `npm start` runs the server from its esbuild bundle (scripts/build.mjs, scripts/start.mjs),
 * not from the TypeScript sources the other tests load. These tests build the bundle, start
 * it as a deployment does and check that it serves pages: its templates and static files are
 * found from dist/ (src/paths.ts), and an unchanged source tree is not built again.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
// Inside the project, as dist/ is: the bundle finds node_modules and the project folder by walking up.
const OUT = path.join(ROOT, 'node_modules', '.cache', `server-bundle-test-${process.pid}`);

let child: ChildProcess | null = null;
let dataDir = '';
let base = '';
let output = '';

beforeAll(async () => {
  const entry = await buildServer({ outDir: OUT });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forum-bundle-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [entry], {
    // Started from another folder: nothing may depend on the working directory.
    cwd: os.tmpdir(),
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      COOKIE_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      BASE_URL: base,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the bundled server exited:\n${output}`);
    const ok = await fetch(`${base}/livez`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the bundled server did not answer /livez:\n${output}`);
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(OUT, { recursive: true, force: true });
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the server bundle (npm start)', () => {
  it('renders pages from its templates, with the demo content it seeded', async () => {
    const res = await fetch(`${base}/`, { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('href="/static/css/site.css');
    // The demo communities are listed (seeded through the bundled services).
    expect(html).toMatch(/href="\/c\/[a-z0-9-]+"/);
  });

  it('serves the static files and the error pages', async () => {
    const css = await fetch(`${base}/static/css/site.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect((await css.text()).length).toBeGreaterThan(1000);
    const missing = await fetch(`${base}/c/no-such-community-here`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('<html');
  });

  it('keeps the MongoDB backend out of the main file (loaded only when configured)', () => {
    const main = fs.readFileSync(path.join(OUT, 'server.mjs'), 'utf8');
    expect(main).not.toMatch(/from "mongoose"/);
    expect(fs.readdirSync(OUT).some((f) => f.startsWith('mongo-') && f.endsWith('.mjs'))).toBe(true);
  });

  it('is not built again while the sources are unchanged', async () => {
    const entry = path.join(OUT, 'server.mjs');
    const before = fs.statSync(entry).mtimeMs;
    expect(await ensureServerBuilt({ outDir: OUT })).toBe(entry);
    expect(fs.statSync(entry).mtimeMs).toBe(before);
  });
});

describe('sourceFingerprint', () => {
  it('changes when a source file is edited, added or removed', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'forum-fp-'));
    try {
      fs.mkdirSync(path.join(root, 'src', 'a'), { recursive: true });
      fs.writeFileSync(path.join(root, 'package.json'), '{}');
      const file = path.join(root, 'src', 'a', 'x.ts');
      fs.writeFileSync(file, 'export const x = 1;\n');
      const first = sourceFingerprint(root);
      expect(sourceFingerprint(root)).toBe(first);
      fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
      const edited = sourceFingerprint(root);
      expect(edited).not.toBe(first);
      fs.writeFileSync(path.join(root, 'src', 'y.ts'), '');
      const added = sourceFingerprint(root);
      expect(added).not.toBe(edited);
      fs.rmSync(path.join(root, 'src', 'y.ts'));
      expect(sourceFingerprint(root)).toBe(edited);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
