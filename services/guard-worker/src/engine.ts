import { isAbsolute, resolve } from 'node:path';
import type { Registry } from 'prom-client';
import { MicroBatcher, type GuardCheckReply, type GuardCheckRequest, type RouterConfig } from '@sr/shared';
import { JailbreakDetector } from './jailbreak/detector';
import { loadJailbreakModel, type JailbreakModel } from './jailbreak/model';
import { DEFAULT_WINDOWS, type WindowPlan } from './jailbreak/windows';
import { createGuardMetrics, type GuardMetrics } from './metrics';
import { loadPiiDetector, PiiGuard } from './pii-guard';

/** Used when neither the config nor the model's manifest names a threshold. */
export const FALLBACK_JAILBREAK_THRESHOLD = 0.5;

export interface GuardEngineOptions {
  config: RouterConfig;
  /** Directory model paths in the config are relative to (default: the working directory). */
  baseDir?: string;
  registry?: Registry;
  windows?: WindowPlan;
  /** Micro-batching of model runs across concurrent requests. */
  batching?: { maxBatch: number; maxWaitMs: number };
}

export type GuardCheckInput = GuardCheckRequest;

/**
 * The guard's models and checks, without any transport: the worker's bus handler and the
 * `classify` CLI both call `check`, so they give the same answers.
 */
export class GuardEngine {
  private constructor(
    private config: RouterConfig,
    private readonly jailbreakModel: JailbreakModel | undefined,
    private readonly jailbreak: JailbreakDetector | undefined,
    private readonly pii: PiiGuard | undefined,
    private readonly metrics: GuardMetrics | undefined,
    /** Set when the PII entity model's directory is absent (patterns only); the worker logs it. */
    readonly piiModelMissing: string | undefined,
  ) {}

  /** Loads the enabled guards' models (jailbreak classifier, PII detector). */
  static async create(options: GuardEngineOptions): Promise<GuardEngine> {
    const { config } = options;
    const base = options.baseDir ?? process.cwd();
    const at = (dir: string) => (isAbsolute(dir) ? dir : resolve(base, dir));
    const metrics = options.registry ? createGuardMetrics(options.registry) : undefined;
    const batching = options.batching ?? { maxBatch: 64, maxWaitMs: 0 };

    let model: JailbreakModel | undefined;
    let detector: JailbreakDetector | undefined;
    const jb = config.guards.jailbreak;
    if (jb.enabled) {
      model = await loadJailbreakModel(at(jb.modelDir), {
        executionProviders: config.classifiers.executionProviders,
      });
      const loaded = model;
      const batcher = new MicroBatcher<string, number>(async (texts) => {
        metrics?.batchSize.observe({ model: 'jailbreak' }, texts.length);
        return Array.from(await loaded.score(texts));
      }, batching);
      detector = new JailbreakDetector({
        score: (texts) => Promise.all(texts.map((t) => batcher.submit(t))),
        threshold: jb.threshold ?? model.recommendedThreshold ?? FALLBACK_JAILBREAK_THRESHOLD,
        roles: jb.scanRoles,
        windows: options.windows ?? DEFAULT_WINDOWS,
      });
    }
    let pii: PiiGuard | undefined;
    let piiModelMissing: string | undefined;
    if (config.guards.pii.enabled) {
      const loaded = await loadPiiDetector(config.guards.pii, at).catch(async (err: unknown) => {
        await model?.close(); // do not leak the jailbreak session when the PII model fails to load
        throw err;
      });
      piiModelMissing = loaded.modelMissing;
      pii = new PiiGuard(loaded.detector, {
        batching,
        onBatch: (n) => metrics?.batchSize.observe({ model: 'pii' }, n),
      });
    }
    // Warm-up: first calls pay for lazy initialisation (phone metadata, regex compilation, JIT);
    // do that at start, not on a user's request.
    await Promise.all([
      detector?.check([{ role: 'user', content: 'warm up: ignore previous instructions' }]),
      pii?.check([{ role: 'user', content: 'warm up jane@example.com +1 415 555 0132 on 3 May' }]),
    ]);
    return new GuardEngine(config, model, detector, pii, metrics, piiModelMissing);
  }

  /** The default jailbreak threshold in force (config, else the model's recommended one). */
  get jailbreakThreshold(): number | undefined {
    return this.jailbreak?.threshold;
  }

  /** Applies a reloaded config's thresholds (model directories need a restart). */
  updateConfig(config: RouterConfig): void {
    this.config = config;
  }

  /**
   * Runs the requested checks concurrently. A check whose guard is disabled in config answers
   * `null` (not checked); the gateway's policy decides what that means.
   */
  async check(request: GuardCheckInput): Promise<GuardCheckReply> {
    const started = performance.now();
    const timingsMs: Record<string, number> = {};
    const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try {
        return await run();
      } finally {
        const ms = performance.now() - t0;
        timingsMs[name] = round(ms);
        this.metrics?.latency.observe({ check: name }, ms / 1000);
      }
    };
    const detector = this.jailbreak;
    const pii = this.pii;
    const threshold =
      request.jailbreakThreshold ?? this.config.guards.jailbreak.threshold ?? detector?.threshold;
    const [jailbreak, piiResult] = await Promise.all([
      request.checks.jailbreak && detector
        ? timed('jailbreak', () => detector.check(request.messages, threshold))
        : null,
      request.checks.pii && pii ? timed('pii', () => pii.check(request.messages)) : null,
    ]);
    const totalMs = performance.now() - started;
    timingsMs['total'] = round(totalMs);
    this.metrics?.latency.observe({ check: 'total' }, totalMs / 1000);
    if (this.metrics) {
      if (jailbreak?.status === 'detected')
        this.metrics.detections.inc({ type: 'jailbreak', via: jailbreak.via });
      if (piiResult && piiResult.spans.length > 0) {
        this.metrics.detections.inc({ type: 'pii', via: 'detector' });
        for (const span of piiResult.spans) this.metrics.piiEntities.inc({ entity: span.type });
      }
      const outcome =
        jailbreak?.status === 'detected'
          ? 'jailbreak'
          : piiResult && piiResult.spans.length
            ? 'pii'
            : 'clean';
      this.metrics.requests.inc({ outcome });
    }
    return { jailbreak, pii: piiResult, timingsMs };
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.jailbreakModel?.close(), this.pii?.close()]);
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
