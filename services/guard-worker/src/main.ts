#!/usr/bin/env node
/**
 * Runs the guard worker alone: `node dist/main.js [--config file]` (or SR_CONFIG). Connects to
 * NATS, serves /healthz /readyz /metrics on the metrics listener, prints `ready` when serving,
 * drains in-flight requests on SIGTERM/SIGINT.
 */
import { runServiceProcess } from '@sr/shared';
import { createGuardWorker } from './worker';

runServiceProcess('guard-worker', ({ configStore, bus, logger, registry }) =>
  createGuardWorker({ configStore, bus, logger, registry }),
);
