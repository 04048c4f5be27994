import autocannon from 'autocannon';

export interface RequestShape {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Measurement {
  /** Responses completed inside the measured window (after the warm-up). */
  requests: number;
  /** Length of the measured window in seconds. */
  seconds: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  /** Server CPU (user + system) per response in the measured window, in ms; NaN without a cpu reader. */
  cpuMsPerReq: number;
  /** Responses outside 2xx/3xx in the window, plus connection errors and timeouts of the whole run. */
  bad: number;
  statuses: Record<string, number>;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/**
 * One autocannon run with its warm-up inside it. autocannon opens its connections when a run
 * starts, and each new connection waits a turn of the server's event loop behind the requests
 * already queued, so a separate warm-up run would not help: the measured run would ramp up
 * again and its p99 would describe connection set-up, not pages. Here one instance runs for
 * warm-up + measured time (+1 s, so the window also ends under full load) on the same
 * keep-alive connections, and only responses inside the window count: their number (req/s),
 * the server CPU used meanwhile (`cpu`, read from /proc at both ends of the window) and the
 * latencies of those sent inside it (percentiles computed here; autocannon reports p97.5 but
 * not p95).
 * `next` supplies every request, so a run can cycle through many URLs or users.
 */
export function runLoad(opts: {
  baseUrl: string;
  connections: number;
  seconds: number;
  warmupSeconds?: number;
  next: () => RequestShape;
  cpu?: () => number;
}): Promise<Measurement> {
  const warmup = Math.max(0, opts.warmupSeconds ?? 0);
  return new Promise((resolve, reject) => {
    let latencies = new Float64Array(1 << 16);
    let count = 0;
    let timed = 0;
    let measuring = false;
    const statuses: Record<string, number> = {};
    let window: { t0: number; cpu0: number; t1: number; cpu1: number } | null = null;
    const open = () => {
      measuring = true;
      window = { t0: performance.now(), cpu0: opts.cpu?.() ?? NaN, t1: NaN, cpu1: NaN };
    };
    const close = () => {
      measuring = false;
      if (window) Object.assign(window, { t1: performance.now(), cpu1: opts.cpu?.() ?? NaN });
    };
    const timers = [setTimeout(open, warmup * 1000), setTimeout(close, (warmup + opts.seconds) * 1000)];
    const instance = autocannon(
      {
        url: opts.baseUrl,
        connections: opts.connections,
        duration: warmup + opts.seconds + 1,
        timeout: 30,
        requests: [
          {
            setupRequest: (req) => {
              const r = opts.next();
              return { ...req, method: r.method ?? 'GET', path: r.path, headers: { ...(req.headers ?? {}), ...(r.headers ?? {}) }, body: r.body } as typeof req;
            },
          },
        ],
      },
      (err, result) => {
        for (const t of timers) clearTimeout(t);
        if (err) return reject(err);
        if (measuring) close(); // the run ended early (e.g. the server went away)
        const w = window ?? { t0: 0, t1: 0, cpu0: NaN, cpu1: NaN };
        const seconds = (w.t1 - w.t0) / 1000;
        const sorted = latencies.subarray(0, timed).sort();
        const badStatuses = Object.entries(statuses).reduce((n, [code, k]) => n + (Number(code) >= 400 ? k : 0), 0);
        resolve({
          requests: count,
          seconds,
          reqPerSec: seconds > 0 ? count / seconds : 0,
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          p99: percentile(sorted, 99),
          cpuMsPerReq: count > 0 ? ((w.cpu1 - w.cpu0) * 1000) / count : NaN,
          bad: badStatuses + result.errors + result.timeouts,
          statuses: { ...statuses, ...(result.errors ? { errors: result.errors } : {}), ...(result.timeouts ? { timeouts: result.timeouts } : {}) },
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (!measuring) return;
      count++;
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      // Latency only of requests sent inside the window: one sent during the warm-up and
      // answered later would charge the warm-up's queueing to the measured pages.
      if (window && performance.now() - responseTime < window.t0) return;
      if (timed === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[timed++] = responseTime;
    });
  });
}

/** One request outside the load run, to see whether a route exists before measuring it. */
export async function probe(baseUrl: string, r: RequestShape): Promise<{ status: number; location: string | null }> {
  const res = await fetch(baseUrl + r.path, { method: r.method ?? 'GET', headers: r.headers, body: r.body, redirect: 'manual' });
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get('location') };
}
