import { isAbsolute, resolve } from 'node:path';
import type { Registry } from 'prom-client';
import {
  loadTextClassifier,
  openSharedEncoder,
  type SharedEncoder,
  type CategoryScoring,
  ToolRanker,
  type Prediction,
  type TextClassifierLike,
  type TextEmbedder,
} from '@sr/ml';
import {
  MicroBatcher,
  type ClassifyReply,
  type ClassifyRequest,
  type RouterConfig,
  type Signal,
} from '@sr/shared';
import { CustomCategories } from './custom-categories';
import { createClassifierMetrics, type ClassifierMetrics } from './metrics';
import { textToClassify } from './text';
import { selectTools, shouldRank, type ToolsResult } from './tool-selection';

/** The signals of one text (no tools: those need a request). */
export interface TextSignals {
  domain: Signal | null;
  intent: Signal | null;
  custom: Signal | null;
}

export interface ClassifierEngineOptions {
  config: RouterConfig;
  /** Directory model paths in the config are relative to (default: the working directory). */
  baseDir?: string;
  registry?: Registry;
  /** Micro-batching of model runs across concurrent requests. */
  batching?: { maxBatch: number; maxWaitMs: number };
}

type Batch<I, O> = MicroBatcher<I, O>;

/**
 * Every classifier signal for a request, each model run once per request (concurrent requests
 * share runs through micro-batchers). No transport here: the bus handler, `classifyTexts` for
 * the CLI and the gateway's classification API all come through this class.
 */
export class ClassifierEngine {
  private custom: CustomCategories;
  private readonly ranker: ToolRanker | undefined;
  private readonly embedder: TextEmbedder | undefined;

  private constructor(
    private config: RouterConfig,
    private readonly models: {
      domain?: TextClassifierLike;
      intent?: TextClassifierLike;
      encoder?: SharedEncoder;
    },
    private readonly batchers: {
      domain?: Batch<string, Prediction>;
      intent?: Batch<string, Prediction>;
      embed?: Batch<string, Float32Array>;
    },
    custom: CustomCategories,
    private readonly metrics: ClassifierMetrics | undefined,
  ) {
    this.custom = custom;
    const embed = batchers.embed;
    this.embedder = embed && { embed: (texts) => Promise.all(texts.map((t) => embed.submit(t))) };
    this.ranker = this.embedder && new ToolRanker(this.embedder);
  }

  /** Loads the enabled models and embeds the custom categories' examples. */
  static async create(options: ClassifierEngineOptions): Promise<ClassifierEngine> {
    const { config } = options;
    const base = options.baseDir ?? process.cwd();
    const at = (dir: string) => (isAbsolute(dir) ? dir : resolve(base, dir));
    const providers = { executionProviders: config.classifiers.executionProviders };
    const metrics = options.registry ? createClassifierMetrics(options.registry) : undefined;
    const batching = options.batching ?? { maxBatch: 64, maxWaitMs: 0 };
    const c = config.classifiers;
    const loads = await Promise.allSettled([
      // Either kind of model directory: an in-house model or a Hugging Face export.
      c.domain.enabled ? loadTextClassifier(at(c.domain.modelDir), providers) : undefined,
      c.intent.enabled ? loadTextClassifier(at(c.intent.modelDir), providers) : undefined,
      // Shared with the cache service when both run in one process (embedded mode): one model,
      // and the same user turn is embedded once per request instead of three times.
      openSharedEncoder(at(c.encoderDir), providers),
    ] as const);
    const failed = loads.find((l) => l.status === 'rejected');
    if (failed) {
      // Free what did load, then report the first failure (it names the model and the cause).
      await Promise.allSettled(loads.map((l) => (l.status === 'fulfilled' ? l.value?.close() : undefined)));
      throw failed.reason;
    }
    const value = <T>(l: PromiseSettledResult<T>) => (l as PromiseFulfilledResult<T>).value;
    const domain = value(loads[0]);
    const intent = value(loads[1]);
    const encoder = value(loads[2]);
    const batcher = <O>(model: string, run: (texts: string[]) => Promise<O[]>) =>
      new MicroBatcher<string, O>((texts) => {
        metrics?.batchSize.observe({ model }, texts.length);
        return run(texts);
      }, batching);
    const batchers = {
      domain: domain && batcher('domain', (t) => domain.classify(t)),
      intent: intent && batcher('intent', (t) => intent.classify(t)),
      embed: batcher('encoder', (t) => encoder.embed(t)),
    };
    const embedder: TextEmbedder = {
      embed: (texts) => Promise.all(texts.map((t) => batchers.embed.submit(t))),
    };
    const custom = await CustomCategories.build(config, embedder, categoryCalibration(config, encoder));
    return new ClassifierEngine(config, { domain, intent, encoder }, batchers, custom, metrics);
  }

  /** Number of custom categories currently matched. */
  get customCategories(): number {
    return this.custom.size;
  }

  get embeddingDimension(): number {
    return this.models.encoder?.dimension ?? 0;
  }

  /**
   * Applies a reloaded config: thresholds, context and tool settings at once, custom categories
   * once their examples are embedded (the old ones serve until then). Model directories need a restart.
   */
  async updateConfig(config: RouterConfig): Promise<void> {
    const encoder = this.models.encoder;
    const custom =
      this.embedder && encoder
        ? await CustomCategories.build(config, this.embedder, categoryCalibration(config, encoder))
        : this.custom;
    this.config = config;
    this.custom = custom;
  }

  /** The signals for each text (the CLI and the classification API use this). */
  async classifyTexts(texts: readonly string[]): Promise<TextSignals[]> {
    return Promise.all(texts.map((t) => this.signals(t, {}).then((s) => s.signals)));
  }

  /** Every signal for a chat request: the worker's `sr.v1.classify` handler. */
  async classify(request: ClassifyRequest): Promise<ClassifyReply> {
    const started = performance.now();
    const config = this.config;
    const text = textToClassify(request.messages, config.classifiers.context);
    const tools = request.tools ?? [];
    const wantTools = config.tools.enabled && tools.length > 0 && this.ranker !== undefined;
    const timingsMs: Record<string, number> = {};
    const toolVectors =
      wantTools && shouldRank(request.toolChoice)
        ? this.timed(timingsMs, 'tools', () => this.ranker!.toolEmbeddings(tools))
        : undefined;
    const { signals, vector } = await this.signals(text, timingsMs, wantTools);
    let toolResult: ToolsResult | null = null;
    if (wantTools) {
      // The ranker's blended score (encoder cosine + lexical overlap with name, description and
      // parameter names); the tool embeddings were cached concurrently with the signals.
      const vectors = toolVectors ? await toolVectors : [];
      const scores =
        toolVectors && vector ? await this.ranker!.scoresFor(text, vector, tools) : vectors.map(() => 0);
      const similarityThreshold =
        config.tools.similarityThreshold ?? this.models.encoder?.thresholds?.tool ?? 0;
      toolResult = selectTools(tools, request.toolChoice, scores, { ...config.tools, similarityThreshold });
      this.metrics?.tools.inc({ reason: toolResult.reason });
    }
    const totalMs = performance.now() - started;
    timingsMs['total'] = round3(totalMs);
    this.metrics?.latency.observe({ stage: 'total' }, totalMs / 1000);
    return { ...signals, tools: toolResult, timingsMs };
  }

  /** Embeddings for the `sr.v1.embed` endpoint (same batcher as classification). */
  async embed(texts: readonly string[]): Promise<{ dimension: number; vectors: number[][] }> {
    const embedder = this.embedder;
    if (!embedder) return { dimension: 0, vectors: [] };
    const vectors = await embedder.embed(texts);
    return { dimension: this.embeddingDimension, vectors: vectors.map((v) => Array.from(v, round6)) };
  }

  async close(): Promise<void> {
    await Promise.allSettled([
      this.models.domain?.close(),
      this.models.intent?.close(),
      this.models.encoder?.close(),
    ]);
  }

  private async signals(
    text: string,
    timingsMs: Record<string, number>,
    needVector = false,
  ): Promise<{ signals: TextSignals; vector: Float32Array | undefined }> {
    const config = this.config;
    const { domain, intent, embed } = this.batchers;
    const hasText = text.trim() !== '';
    const wantVector = embed && hasText && (needVector || this.custom.size > 0);
    const [d, i, v] = await Promise.all([
      domain && hasText ? this.timed(timingsMs, 'domain', () => domain.submit(text)) : undefined,
      intent && hasText ? this.timed(timingsMs, 'intent', () => intent.submit(text)) : undefined,
      wantVector ? this.timed(timingsMs, 'embed', () => embed.submit(text)) : undefined,
    ]);
    const signals: TextSignals = {
      domain: domain ? toSignal(d, config.classifiers.domain.threshold) : null,
      intent: intent ? toSignal(i, config.classifiers.intent.threshold) : null,
      custom: v ? await this.confirmedCustom(this.custom.match(v, text), text, timingsMs) : null,
    };
    if (this.metrics) {
      if (signals.domain) this.metrics.signals.inc({ signal: 'domain', label: signals.domain.label });
      if (signals.intent) this.metrics.signals.inc({ signal: 'intent', label: signals.intent.label });
      if (signals.custom) this.metrics.signals.inc({ signal: 'custom', label: signals.custom.label });
    }
    return { signals, vector: v };
  }

  /**
   * A custom category matched on a long text must also be supported by its sentences. The
   * embedding of a long prompt is a bag of everything in it and drifts towards the examples'
   * generic wording ("summarise", "explain", "terms"), so a 200-token lecture request could match
   * "legal-contracts" as a whole while none of its sentences is about contracts. Short texts (what
   * the examples and the CLINC150 evaluation look like) are unaffected; the extra embedding run
   * happens only when a long text matched.
   */
  private async confirmedCustom(
    match: Signal | null,
    text: string,
    timingsMs: Record<string, number>,
  ): Promise<Signal | null> {
    const embed = this.batchers.embed;
    if (!match || !embed || countWords(text) <= LONG_TEXT_WORDS) return match;
    const sentences = splitSentences(text);
    if (sentences.length < 2) return match;
    const vectors = await this.timed(timingsMs, 'custom_sentences', () =>
      Promise.all(sentences.map((s) => embed.submit(s))),
    );
    const agreeing = sentences.filter(
      (s, k) => this.custom.match(vectors[k]!, s)?.label === match.label,
    ).length;
    return agreeing >= Math.max(1, Math.ceil(sentences.length / 3)) ? match : null;
  }

  private async timed<T>(timings: Record<string, number>, stage: string, run: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await run();
    } finally {
      const ms = performance.now() - t0;
      timings[stage] = round3(ms);
      this.metrics?.latency.observe({ stage }, ms / 1000);
    }
  }
}

/** A prediction as a signal: `unknown` below the classifier's threshold, the full distribution kept. */
function toSignal(p: Prediction | undefined, threshold: number): Signal {
  if (!p) return { label: 'unknown', score: 0 };
  const distribution: Record<string, number> = {};
  for (const [label, prob] of Object.entries(p.distribution)) distribution[label] = round6(prob);
  const score = Math.min(1, Math.max(0, round6(p.score)));
  return { label: p.score >= threshold ? p.label : 'unknown', score, distribution };
}

function round3(x: number): number {
  return Math.round(x * 1e3) / 1e3;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * The custom-category threshold and scoring the encoder was calibrated with. A Hugging Face
 * encoder has no calibration, so its threshold must come from the config (globally or per
 * category); loading fails with that instruction rather than guessing a cosine scale.
 */
function categoryCalibration(
  config: RouterConfig,
  encoder: SharedEncoder,
): { threshold: number; scoring: CategoryScoring } {
  if (encoder.thresholds) return encoder.thresholds.category;
  const custom = config.categories.filter((c) => c.signal === 'custom');
  const global = config.classifiers.custom.threshold;
  const missing = custom.filter((c) => c.threshold === undefined && global === undefined).map((c) => c.name);
  if (missing.length > 0)
    throw new Error(
      `${config.classifiers.encoderDir} is a Hugging Face encoder without calibrated thresholds: set ` +
        `classifiers.custom.threshold (or a threshold on each custom category: ${missing.join(', ')})`,
    );
  // Every category has a threshold from the config; the fallback is then never used.
  return { threshold: global ?? 1, scoring: 'max' };
}

/** Texts longer than this (in words) need sentence support for a custom category. */
const LONG_TEXT_WORDS = 40;

function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => w !== '').length;
}

/** Sentences (and lines) of at least three words; shorter fragments ("Action items:") carry no topic. */
function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.?!:;])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => countWords(s) >= 3);
}
