import type { MetricObjectWithValues, MetricValue } from 'prom-client';

/** The services a worker thread can host (classifier and cache share one: one encoder, one memo). */
export type ThreadRole = 'guard' | 'classifier' | 'cache';

/** What the main thread hands a worker thread at start. */
export interface ThreadData {
  name: string;
  roles: ThreadRole[];
  configFile: string;
  baseDir: string;
}

export type ThreadMetrics = MetricObjectWithValues<MetricValue<string>>[];

/** Control messages (bus traffic is the bridge's, see @sr/shared thread-bridge). */
export type ToThread = { t: 'metrics'; id: number } | { t: 'stop' };
export type FromThread =
  | { t: 'ready'; subjects: string[] }
  | { t: 'failed'; message: string }
  | { t: 'metrics'; id: number; metrics: ThreadMetrics }
  | { t: 'stopped' };
