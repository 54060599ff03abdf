import {
  cacheLookup,
  call,
  classify,
  guardCheck,
  type Bus,
  type CacheLookupReply,
  type ChatCompletionRequest,
  type ClassifyReply,
  type GuardCheckReply,
  type RouterConfig,
} from '@sr/shared';
import type { GatewayMetrics } from '../metrics';
import { runStage, skipped } from './stages';
import type { StageOutcome } from './types';

export interface FanOutInput {
  config: RouterConfig;
  bus: Bus;
  metrics: GatewayMetrics;
  body: ChatCompletionRequest;
  auto: boolean;
  requestId: string;
  /** The cache keys to look up, or why the lookup is skipped. */
  cache: { scope: string; exactKey: string; query: string } | { skip: string };
}

export interface FanOutResult {
  guard: StageOutcome<GuardCheckReply>;
  classified: StageOutcome<ClassifyReply>;
  cached: StageOutcome<CacheLookupReply>;
}

/**
 * Guard, classify and cache lookup, concurrently, each a bus request with its own timeout. A
 * stage that fails comes back as data (`failed` + code); what that means is the caller's call.
 */
export async function fanOut(input: FanOutInput): Promise<FanOutResult> {
  const { config, bus, metrics, body, auto, requestId } = input;
  const runGuard =
    (config.guards.jailbreak.enabled || config.guards.pii.enabled) &&
    (auto || config.routing.guardExplicitModels);
  const opts = (timeoutMs: number) => ({ timeoutMs, requestId });
  const lookup = input.cache;
  const [guard, classified, cached] = await Promise.all([
    runGuard
      ? runStage('guard', metrics, () =>
          call(
            bus,
            guardCheck,
            {
              messages: body.messages,
              checks: { jailbreak: config.guards.jailbreak.enabled, pii: config.guards.pii.enabled },
            },
            opts(config.timeouts.guardMs),
          ),
        )
      : Promise.resolve(
          skipped<GuardCheckReply>(auto ? 'guards disabled' : 'explicit model, guardExplicitModels off'),
        ),
    auto
      ? runStage(
          'classify',
          metrics,
          () =>
            call(
              bus,
              classify,
              {
                messages: body.messages,
                ...(config.tools.enabled && body.tools?.length ? { tools: body.tools } : {}),
                ...(body.tool_choice !== undefined ? { toolChoice: body.tool_choice } : {}),
              },
              opts(config.timeouts.classifyMs),
            ),
          (r) => ({
            'semantic_router.domain': r.domain?.label ?? 'none',
            'semantic_router.intent': r.intent?.label ?? 'none',
          }),
        )
      : Promise.resolve(skipped<ClassifyReply>('explicit model')),
    'skip' in lookup
      ? Promise.resolve(skipped<CacheLookupReply>(lookup.skip))
      : runStage(
          'cache_lookup',
          metrics,
          () => call(bus, cacheLookup, lookup, opts(config.timeouts.cacheLookupMs)),
          (r) => ({ 'semantic_router.cache_hit': r.status === 'hit' }),
        ),
  ]);
  return { guard, classified, cached };
}
