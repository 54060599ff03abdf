import type { RouterConfig } from '../config/schema';
import type { CommonMetrics } from '../telemetry/metrics';
import type { Bus } from './bus';
import { InstrumentedBus } from './instrumented-bus';
import { NatsBus } from './nats-bus';

/** Connects the NATS bus described by the config (credentials come from environment variables). */
export async function connectConfiguredBus(
  config: RouterConfig['bus'],
  name: string,
  onStatus?: (event: { type: string; data?: unknown }) => void,
  /** When given, every request is counted and timed (`sr_bus_requests_total`, `sr_bus_request_duration_seconds`). */
  metrics?: CommonMetrics,
): Promise<Bus> {
  const nats = config.nats;
  const bus = await NatsBus.connect({
    url: nats.url,
    name,
    user: nats.user,
    pass: nats.passEnv ? process.env[nats.passEnv] : undefined,
    token: nats.tokenEnv ? process.env[nats.tokenEnv] : undefined,
    credsFile: nats.credsFile,
    onStatus,
  });
  return metrics ? new InstrumentedBus(bus, metrics) : bus;
}
