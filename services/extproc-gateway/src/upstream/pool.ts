import type { EndpointConfig, ModelConfig } from '@sr/shared';

export interface EndpointChoice {
  /** Base URL from config (e.g. `http://127.0.0.1:8000/v1`). */
  url: string;
  /** `host:port`, what Envoy's `x-gateway-destination-endpoint` carries. */
  hostPort: string;
  name: string | undefined;
}

interface Health {
  consecutiveFailures: number;
  ejectedUntil: number;
}

export interface PoolOptions {
  ejectAfterFailures: number;
  ejectForMs: number;
  /** Injectable for tests of the weighted split; Math.random by default. */
  random?: () => number;
  now?: () => number;
}

/**
 * Endpoint selection with passive health: weighted random over a model's endpoints that are not
 * ejected. An endpoint is ejected after `ejectAfterFailures` consecutive failures for
 * `ejectForMs`, then tried again (one success clears its count). When every endpoint is
 * ejected the least recently ejected one is used rather than failing outright.
 * Health is keyed by URL, so it survives config reloads.
 */
export class EndpointPool {
  private readonly health = new Map<string, Health>();

  constructor(private options: PoolOptions) {}

  configure(options: Pick<PoolOptions, 'ejectAfterFailures' | 'ejectForMs'>): void {
    this.options = { ...this.options, ...options };
  }

  /** Picks an endpoint of `model`, skipping `exclude` (URLs already tried for this request). */
  pick(model: ModelConfig, exclude: ReadonlySet<string> = new Set()): EndpointChoice | undefined {
    const now = (this.options.now ?? Date.now)();
    const candidates = model.endpoints.filter((e) => !exclude.has(e.url));
    if (candidates.length === 0) return undefined;
    const healthy = candidates.filter((e) => (this.health.get(e.url)?.ejectedUntil ?? 0) <= now);
    if (healthy.length === 0) {
      const soonest = [...candidates].sort(
        (a, b) => (this.health.get(a.url)?.ejectedUntil ?? 0) - (this.health.get(b.url)?.ejectedUntil ?? 0),
      )[0]!;
      return toChoice(soonest);
    }
    return toChoice(weighted(healthy, this.options.random ?? Math.random));
  }

  recordSuccess(url: string): void {
    const h = this.health.get(url);
    if (h) {
      h.consecutiveFailures = 0;
      h.ejectedUntil = 0;
    }
  }

  /** Returns true when this failure ejected the endpoint. */
  recordFailure(url: string): boolean {
    const now = (this.options.now ?? Date.now)();
    const h = this.health.get(url) ?? { consecutiveFailures: 0, ejectedUntil: 0 };
    this.health.set(url, h);
    h.consecutiveFailures++;
    if (h.consecutiveFailures >= this.options.ejectAfterFailures && h.ejectedUntil <= now) {
      h.ejectedUntil = now + this.options.ejectForMs;
      h.consecutiveFailures = 0;
      return true;
    }
    return false;
  }

  isEjected(url: string): boolean {
    return (this.health.get(url)?.ejectedUntil ?? 0) > (this.options.now ?? Date.now)();
  }
}

function weighted(endpoints: readonly EndpointConfig[], random: () => number): EndpointConfig {
  const total = endpoints.reduce((s, e) => s + e.weight, 0);
  let r = random() * total;
  for (const e of endpoints) {
    r -= e.weight;
    if (r < 0) return e;
  }
  return endpoints[endpoints.length - 1]!;
}

const hostPorts = new Map<string, string>();

/** `host:port` of an endpoint URL (memoised: it is computed on every routed request). */
export function hostPort(url: string): string {
  let known = hostPorts.get(url);
  if (known === undefined) {
    known = computeHostPort(url);
    if (hostPorts.size > 10_000) hostPorts.clear();
    hostPorts.set(url, known);
  }
  return known;
}

function computeHostPort(url: string): string {
  const u = new URL(url);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.hostname}:${port}`;
}

function toChoice(e: EndpointConfig): EndpointChoice {
  return { url: e.url, hostPort: hostPort(e.url), name: e.name };
}
