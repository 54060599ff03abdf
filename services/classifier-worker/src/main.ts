#!/usr/bin/env node
/**
 * Runs the classifier worker alone: `node dist/main.js [--config file]` (or SR_CONFIG). Connects
 * to NATS, serves /healthz /readyz /metrics on the metrics listener, prints `ready` when serving,
 * drains in-flight requests on SIGTERM/SIGINT.
 */
import { runServiceProcess } from '@sr/shared';
import { createClassifierWorker } from './worker';

runServiceProcess('classifier-worker', ({ configStore, bus, logger, registry }) =>
  createClassifierWorker({ configStore, bus, logger, registry }),
);
