import autocannon from 'autocannon';

export interface RequestShape {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Measurement {
  requests: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  /** Responses outside 2xx/3xx plus connection errors and timeouts. */
  bad: number;
  statuses: Record<string, number>;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

/**
 * One autocannon run. `next` supplies every request, so a run can cycle through many URLs
 * or users. autocannon reports p97.5 but not p95, so latencies are also recorded here from
 * its 'response' events and the percentiles computed from them.
 */
export function runLoad(opts: { baseUrl: string; connections: number; seconds: number; next: () => RequestShape }): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    let latencies = new Float64Array(1 << 16);
    let count = 0;
    const statuses: Record<string, number> = {};
    const instance = autocannon(
      {
        url: opts.baseUrl,
        connections: opts.connections,
        duration: opts.seconds,
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
        if (err) return reject(err);
        const sorted = latencies.subarray(0, count).sort();
        resolve({
          requests: result.requests.total,
          reqPerSec: result.requests.average,
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          p99: percentile(sorted, 99),
          bad: result['4xx'] + result['5xx'] + result.errors + result.timeouts,
          statuses: { ...statuses, ...(result.errors ? { errors: result.errors } : {}), ...(result.timeouts ? { timeouts: result.timeouts } : {}) },
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (count === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[count++] = responseTime;
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
}

/** One request outside the load run, to see whether a route exists before measuring it. */
export async function probe(baseUrl: string, r: RequestShape): Promise<{ status: number; location: string | null }> {
  const res = await fetch(baseUrl + r.path, { method: r.method ?? 'GET', headers: r.headers, body: r.body, redirect: 'manual' });
  await res.arrayBuffer();
  return { status: res.status, location: res.headers.get('location') };
}
