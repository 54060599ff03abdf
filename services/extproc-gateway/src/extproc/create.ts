import type { Logger, RouterConfig } from '@sr/shared';
import type { Registry } from 'prom-client';
import type { Pipeline } from '../pipeline/index';
import type { HeaderValueField } from './headers';
import { extProcPort } from './pipeline-adapter';
import { ExtProcServer } from './server';

export interface CreateExtProcServerDeps {
  config: RouterConfig;
  pipeline: Pipeline;
  logger: Logger;
  registry: Registry;
  /** Overrides `config.listeners.grpc.port` (tests pass 0). */
  port?: number;
  headerValueField?: HeaderValueField;
}

/** Slack on top of the pipeline's stage timeouts before the safety net answers (ms). */
const DECISION_SLACK_MS = 1_000;

/**
 * The ExtProc server for a gateway, wired to its pipeline and sized from the config. The
 * decision safety net is the sum of the stage timeouts (they run concurrently, so the pipeline
 * answers well before it) plus slack; Envoy's `message_timeout` must be longer (docs/extproc.md).
 */
export function createExtProcServer(deps: CreateExtProcServerDeps): ExtProcServer {
  const { config } = deps;
  const t = config.timeouts;
  return new ExtProcServer({
    pipeline: extProcPort(deps.pipeline),
    logger: deps.logger.child({ transport: 'extproc' }),
    registry: deps.registry,
    host: config.listeners.grpc.host,
    port: deps.port ?? config.listeners.grpc.port,
    maxBodyBytes: config.limits.maxBodyBytes,
    decisionTimeoutMs: t.guardMs + t.classifyMs + t.cacheLookupMs + DECISION_SLACK_MS,
    ...(deps.headerValueField ? { headerValueField: deps.headerValueField } : {}),
  });
}
