import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Run first and thrown away: JIT, connection pools and caches settle in it. */
  warmupSeconds: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
}

/** Runs autocannon against one URL; any non-2xx answer or socket error fails the scenario. */
export async function measure(label: string, options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds > 0) {
    assertAllOk(`${label} (warm-up)`, await fire(options, options.warmupSeconds));
  }
  const latencies: number[] = [];
  const result = await fire(options, options.durationSeconds, (ms) => latencies.push(ms));
  assertAllOk(label, result);
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    requests: result.requests.total,
  };
}

/**
 * autocannon's own histogram keeps whole milliseconds, too coarse for sub-millisecond answers;
 * its per-response event carries the exact time, so we keep those instead.
 */
function fire(
  options: LoadOptions,
  durationSeconds: number,
  onLatency?: (ms: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: options.url, connections: options.connections, duration: durationSeconds },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (onLatency) {
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        if (statusCode >= 200 && statusCode < 300) onLatency(responseTime);
      });
    }
  });
}

function assertAllOk(label: string, result: autocannon.Result): void {
  const problems = [
    result.non2xx > 0 && `${result.non2xx} non-2xx responses`,
    result.errors > 0 && `${result.errors} connection errors`,
    result.timeouts > 0 && `${result.timeouts} timeouts`,
    result.requests.total === 0 && 'no responses at all',
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`${label}: ${problems.join(', ')} (${result.url})`);
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}
