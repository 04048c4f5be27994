import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensureServerBuilt } from '../build.mjs';

/*
 * The forum server under test, run as a child process exactly as in production
 * (`npm start`: node scripts/start.mjs, the server's JavaScript bundle, with
 * NODE_ENV=production). The bundle is brought up to date before the server is spawned, as a
 * deployment builds it ahead, so the ready time measures a start, not a build. The server
 * gets its own process group so that stopping it also stops anything it started.
 */

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerHandle {
  baseUrl: string;
  pid: number;
  /** Seconds from spawning the server to its first successful GET /livez (the "ready in N s"). */
  readySeconds: number;
  /** Last lines the server wrote, for error reports. */
  output(): string;
  stop(): Promise<void>;
  /** Synchronous last resort for process 'exit' handlers. */
  killNow(): void;
}

export async function startServer(opts: { root: string; dataDir: string; extraEnv?: Record<string, string> }): Promise<ServerHandle> {
  const port = await freePort();
  await ensureServerBuilt({ root: opts.root });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATA_DIR: opts.dataDir,
    SEED_DEMO: 'false',
    COOKIE_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    BASE_URL: `http://127.0.0.1:${port}`,
    ...opts.extraEnv,
  };
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, [path.join(opts.root, 'scripts', 'start.mjs')], { cwd: opts.root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const pid = child.pid!;

  const killGroup = (signal: NodeJS.Signals) => {
    if (exited) return;
    try {
      process.kill(-pid, signal);
    } catch {
      /* already gone */
    }
  };

  // If this process dies without cleaning up (SIGKILL, or a relayed
  // signal), a watchdog in the server's process group stops the server within a second.
  const watchdog = spawn(
    process.execPath,
    [
      '-e',
      `const parent = ${process.pid}, group = ${pid};
       const alive = (p) => { try { process.kill(p, 0); return true; } catch { return false; } };
       setInterval(() => {
         if (!alive(-group)) process.exit(0);
         if (!alive(parent) && !stopping) {
           stopping = true;
           try { process.kill(-group, 'SIGTERM'); } catch {}
           setTimeout(() => { try { process.kill(-group, 'SIGKILL'); } catch {} process.exit(0); }, 5000);
         }
       }, 500);
       let stopping = false;`,
    ],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();

  const handle: ServerHandle = {
    baseUrl: `http://127.0.0.1:${port}`,
    pid,
    readySeconds: NaN,
    output: () => lines.slice(-40).join('\n'),
    async stop() {
      killGroup('SIGTERM');
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, 8000).unref());
      await Promise.race([exitPromise, timeout]);
      killGroup('SIGKILL');
    },
    killNow() {
      killGroup('SIGKILL');
    },
  };

  // Ready when /livez answers; give up after two minutes (first start may build the search
  // index). Polled every 20 ms so the startup time is measured to a few hundredths of a second.
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the server exited during startup:\n${handle.output()}`);
    try {
      const res = await fetch(`${handle.baseUrl}/livez`);
      await res.arrayBuffer();
      if (res.ok) {
        handle.readySeconds = (performance.now() - spawnedAt) / 1000;
        return handle;
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await handle.stop();
  throw new Error(`the server did not become ready within 120 s:\n${handle.output()}`);
}

/** The process and its descendants. */
export function processTree(rootPid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      /* exited meanwhile */
    }
  }
  const out = [rootPid];
  for (let i = 0; i < out.length; i++) for (const [pid, ppid] of parents) if (ppid === out[i]) out.push(pid);
  return out;
}

export function procStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** The server is the process of the tree with the largest peak RSS (a wrapper process, if any, is small). */
export function serverMemory(rootPid: number): { pid: number; peakKb: number; rssKb: number } | null {
  let best: { pid: number; peakKb: number; rssKb: number } | null = null;
  for (const pid of processTree(rootPid)) {
    const peak = procStatusKb(pid, 'VmHWM');
    if (peak !== null && (!best || peak > best.peakKb)) best = { pid, peakKb: peak, rssKb: procStatusKb(pid, 'VmRSS') ?? 0 };
  }
  return best;
}

/** CPU seconds used so far by the process tree (clock ticks are 1/100 s on Linux). */
export function cpuSeconds(rootPid: number): number {
  let ticks = 0;
  for (const pid of processTree(rootPid)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* exited meanwhile */
    }
  }
  return ticks / 100;
}

/**
 * Waits until the server has finished its start-up work in the background (the search
 * engine's vocabulary and attribute copy load after /livez answers): until it used less
 * than 10 % of a core in two half-second windows in a row, or `maxSeconds` passed. Routes
 * measured during that work were charged for it (the first routes of a run read up to twice
 * the CPU per request of the same routes later). Returns the seconds waited.
 */
export async function waitUntilQuiet(rootPid: number, maxSeconds = 30): Promise<number> {
  const started = performance.now();
  let quiet = 0;
  let before = cpuSeconds(rootPid);
  while (quiet < 2 && performance.now() - started < maxSeconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = cpuSeconds(rootPid);
    quiet = now - before < 0.05 ? quiet + 1 : 0;
    before = now;
  }
  return (performance.now() - started) / 1000;
}
