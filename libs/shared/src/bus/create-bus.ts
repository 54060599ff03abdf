import type { RouterConfig } from '../config/schema';
import type { Bus } from './bus';
import { NatsBus } from './nats-bus';

/** Connects the NATS bus described by the config (credentials come from environment variables). */
export async function connectConfiguredBus(
  config: RouterConfig['bus'],
  name: string,
  onStatus?: (event: { type: string; data?: unknown }) => void,
): Promise<Bus> {
  const nats = config.nats;
  return NatsBus.connect({
    url: nats.url,
    name,
    user: nats.user,
    pass: nats.passEnv ? process.env[nats.passEnv] : undefined,
    token: nats.tokenEnv ? process.env[nats.tokenEnv] : undefined,
    credsFile: nats.credsFile,
    onStatus,
  });
}
