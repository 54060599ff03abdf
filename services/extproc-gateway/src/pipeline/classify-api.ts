import { z } from 'zod';
import { call, classify, guardCheck, type Bus, type ErrorCode, type RouterConfig } from '@sr/shared';
import { selectCategory } from '../decision/category';
import { jailbreakFinding } from '../decision/decide';
import { rankModels } from '../decision/models';
import type { GatewayMetrics } from '../metrics';
import { runStage, traceStage } from './stages';

/** `POST /api/v1/classify` body: one text or up to 100. */
export const ClassifyApiRequest = z
  .strictObject({
    text: z.string().min(1, 'text must not be empty').optional(),
    texts: z.array(z.string().min(1, 'texts must not hold empty strings')).min(1).max(100).optional(),
  })
  .refine((v) => (v.text === undefined) !== (v.texts === undefined), {
    message: 'give exactly one of `text` (a string) or `texts` (an array of 1 to 100 strings)',
  });

export type ClassifyApiResult =
  | { status: 'ok'; body: unknown }
  | { status: 'error'; code: ErrorCode; message: string; param: string | null };

/**
 * Every signal for each text, through the same bus calls the router uses: domain, intent and
 * custom signals, the category and model they route to, PII types and spans, the jailbreak score.
 * A stage that fails is reported per text (`errors`), not as a failed request.
 */
export async function classifyTexts(
  deps: { bus: Bus; config: RouterConfig; metrics: GatewayMetrics },
  input: unknown,
  requestId: string,
): Promise<ClassifyApiResult> {
  const parsed = ClassifyApiRequest.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    return {
      status: 'error',
      code: 'BAD_REQUEST',
      message: path ? `${path}: ${issue.message}` : issue.message,
      param: path || null,
    };
  }
  const { config, bus, metrics } = deps;
  const texts = parsed.data.texts ?? [parsed.data.text!];
  const guardOn = config.guards.jailbreak.enabled || config.guards.pii.enabled;
  const results = await Promise.all(
    texts.map(async (text, index) => {
      const messages = [{ role: 'user' as const, content: text }];
      const [guard, classified] = await Promise.all([
        guardOn
          ? runStage('guard', metrics, () =>
              call(
                bus,
                guardCheck,
                {
                  messages,
                  checks: { jailbreak: config.guards.jailbreak.enabled, pii: config.guards.pii.enabled },
                },
                {
                  timeoutMs: config.timeouts.guardMs,
                  requestId,
                },
              ),
            )
          : Promise.resolve({ status: 'skipped', reason: 'guards disabled' } as const),
        runStage('classify', metrics, () =>
          call(bus, classify, { messages }, { timeoutMs: config.timeouts.classifyMs, requestId }),
        ),
      ]);
      const signals = classified.status === 'ok' ? classified.value : undefined;
      const category = selectCategory(config, signals);
      const model = rankModels(config, category?.category ?? null)[0]?.model.name;
      const g = guard.status === 'ok' ? guard.value : undefined;
      const errors: Record<string, string> = {};
      if (guard.status === 'failed') errors.guard = guard.code;
      if (classified.status === 'failed') errors.classify = classified.code;
      return {
        index,
        signals: signals ? { domain: signals.domain, intent: signals.intent, custom: signals.custom } : null,
        category: category
          ? { name: category.category.name, signal: category.signal, score: category.score }
          : null,
        model: model ?? null,
        pii: g?.pii ? { types: g.pii.types, spans: g.pii.spans } : null,
        jailbreak: jailbreakFinding(g, category) ?? null,
        timingsMs: { guard: traceStage(guard).ms ?? null, classify: traceStage(classified).ms ?? null },
        ...(Object.keys(errors).length ? { errors } : {}),
      };
    }),
  );
  return { status: 'ok', body: { object: 'list', requestId, results } };
}
