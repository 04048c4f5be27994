/*
 * Browser-test harness: runs the real server (tsx src/server.ts) as a child process on a
 * free port with a throw-away DATA_DIR, and drives Debian's Chromium through
 * playwright-core. Never downloads a browser: the executable is /usr/bin/chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOT_DIR = path.join(import.meta.dirname, 'screenshots');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
/** Every demo account (src/seed/demo-data.ts) has this password. */
export const DEMO_PASSWORD = 'demo-password';

export type UiLocale = 'en' | 'zh-CN';

const ACCEPT_LANGUAGE: Record<UiLocale, string> = {
  en: 'en-US,en;q=0.9',
  'zh-CN': 'zh-CN,zh;q=0.9',
};

/** Short form used in screenshot names: home-en.png, home-zh.png. */
export function shortLocale(locale: UiLocale): 'en' | 'zh' {
  return locale === 'zh-CN' ? 'zh' : 'en';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      const { port } = address;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  baseUrl: string;
  dataDir: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the forum as a user would (`tsx src/server.ts`), seeded with the demo content, and
 * resolves once /healthz answers 200.
 */
export async function startServer(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'forum-e2e-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // vitest sets NODE_ENV=test; the browser tests exercise the server as it runs for a user.
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    BASE_URL: baseUrl,
    DATA_DIR: dataDir,
    SEED_DEMO: 'true',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  delete env.MONGODB_URI;
  delete env.MEILI_URL;
  delete env.MEILI_MASTER_KEY;

  const tsxBin = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  const child: ChildProcess = spawn(tsxBin, ['src/server.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  const stop = async () => {
    if (!exited && child.pid !== undefined) {
      child.kill('SIGTERM');
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 12_000).unref());
      if ((await Promise.race([exitPromise, timeout])) === 'timeout' && !exited) {
        // Only our own process group (detached above): tsx and the node process it started.
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
        await exitPromise;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`The server exited before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The server did not answer /healthz within 60s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { baseUrl, dataDir, output: () => output, stop };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface ContextOptions {
  javaScriptEnabled?: boolean;
}

/** A fresh browser profile (no cookies) that prefers the given language. */
export async function newLocaleContext(browser: Browser, baseUrl: string, locale: UiLocale, options: ContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: baseUrl,
    locale,
    extraHTTPHeaders: { 'Accept-Language': ACCEPT_LANGUAGE[locale] },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: 1280, height: 800 },
  });
}

/** Saves a full-page PNG to test/e2e/screenshots/<name>.png and returns the path. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, name.endsWith('.png') ? name : `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface PageWatcher {
  /** Console errors, uncaught exceptions and CSP violations seen so far. */
  readonly problems: string[];
}

/**
 * Records everything a user's developer console would show as an error on this page:
 * console.error, uncaught exceptions and Content-Security-Policy violations (reported
 * through the securitypolicyviolation event, which Chromium fires for every blocked
 * script, style or image). `allow` filters expected messages, such as the failed load
 * of a page that is meant to be a 404.
 */
export async function watchPage(page: Page, allowExtra: RegExp[] = []): Promise<PageWatcher> {
  const problems: string[] = [];
  // Chromium asks for /favicon.ico on its own (the pages link no icon) and logs the 404 as
  // a console error now and then; that is the browser's request, not the page's.
  const allow = [/status of 404 .*\/favicon\.ico\)$/, ...allowExtra];
  const record = (text: string) => {
    if (!allow.some((re) => re.test(text))) problems.push(text);
  };
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error') record(`console.error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => record(`pageerror: ${err.message}`));
  await page.exposeBinding('__e2eReportCsp', (_source, detail: string) => record(`CSP violation: ${detail}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __e2eReportCsp?: (d: string) => void }).__e2eReportCsp;
      report?.(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return { problems };
}

/** Unique enough for usernames within one server run; digits only so any script can prefix it. */
export function uniqueSuffix(): string {
  return `${Date.now().toString().slice(-6)}${Math.floor(Math.random() * 1000)}`;
}

/** A new page in the context, logged in through the real form as a demo account. */
export async function loginAsDemo(context: BrowserContext, username: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/login');
  await page.locator('#identifier').fill(username);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.locator('form[action="/login"] button[type="submit"]').click()]);
  return page;
}
