import { z } from 'zod';

/** Failure policy of a stage: `open` lets the request through without it, `closed` refuses it. */
export const FailurePolicy = z.enum(['open', 'closed']);

const Listener = (port: number) =>
  z
    .strictObject({
      host: z.string().default('0.0.0.0'),
      port: z.number().int().min(0).max(65535).default(port),
    })
    .prefault({});

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const Endpoint = z.strictObject({
  name: z.string().min(1).optional(),
  url: HttpUrl,
  weight: z.number().positive().default(1),
});

const PiiPolicy = z
  .strictObject({
    /** Entity types this model may receive; `['*']` allows every type. Default: none. */
    allow: z.array(z.string().min(1)).default([]),
    /** What to do when a request holds a type this model may not receive. */
    action: z.enum(['route', 'redact', 'block']).default('route'),
    /** With `redact`: put the original values back into the answer. */
    restoreInResponse: z.boolean().default(false),
  })
  .prefault({});

const Pricing = z.strictObject({
  currency: z.string().default('USD'),
  promptPer1M: z.number().nonnegative().default(0),
  completionPer1M: z.number().nonnegative().default(0),
});

const Model = z.strictObject({
  name: z.string().min(1),
  endpoints: z.array(Endpoint).min(1, 'a model needs at least one endpoint'),
  /** The model name sent upstream, when it differs from `name`. */
  upstreamModel: z.string().min(1).optional(),
  reasoningFamily: z.string().min(1).optional(),
  /** Name of the environment variable holding the upstream API key (never the key itself). */
  apiKeyEnv: z.string().min(1).optional(),
  piiPolicy: PiiPolicy,
  pricing: Pricing.optional(),
});

const ReasoningFamily = z.strictObject({
  type: z.enum(['chat_template_kwargs', 'reasoning_effort']),
  parameter: z.string().min(1),
});

const ModelScore = z.strictObject({
  model: z.string().min(1),
  score: z.number().min(0).max(1),
  useReasoning: z.boolean().default(false),
  reasoningEffort: z.enum(['low', 'medium', 'high']).optional(),
});

const Category = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(''),
  /** Which signal produces this category: a trained classifier (`domain`, `intent`) or `custom` (examples). */
  signal: z.enum(['domain', 'intent', 'custom']).default('domain'),
  /** Classifier labels that map to this category (default: the category name). */
  labels: z.array(z.string().min(1)).optional(),
  /** For `custom` categories: example utterances matched by embedding similarity. */
  examples: z.array(z.string().min(1)).default([]),
  keywords: z.array(z.string().min(1)).default([]),
  /** For `custom` categories: minimum similarity to match (default: classifiers.custom.threshold). */
  threshold: z.number().min(0).max(1).optional(),
  modelScores: z.array(ModelScore).default([]),
  systemPrompt: z.string().optional(),
  systemPromptMode: z.enum(['replace', 'insert']).default('replace'),
  cache: z
    .strictObject({
      enabled: z.boolean().optional(),
      similarityThreshold: z.number().min(0).max(1).optional(),
    })
    .prefault({}),
  jailbreakThreshold: z.number().min(0).max(1).optional(),
});

const Classifier = (modelDir: string, threshold: number) =>
  z
    .strictObject({
      enabled: z.boolean().default(true),
      modelDir: z.string().default(modelDir),
      /** Below this confidence the label is `unknown` and routing falls back to the default model. */
      threshold: z.number().min(0).max(1).default(threshold),
    })
    .prefault({});

const NatsBus = z
  .strictObject({
    url: z.string().default('nats://127.0.0.1:4222'),
    user: z.string().optional(),
    passEnv: z.string().optional(),
    tokenEnv: z.string().optional(),
    credsFile: z.string().optional(),
    name: z.string().optional(),
  })
  .prefault({});

export const ConfigSchema = z.strictObject({
  listeners: z
    .strictObject({ http: Listener(8801), grpc: Listener(50051), metrics: Listener(9190) })
    .prefault({}),
  autoModelNames: z.array(z.string().min(1)).min(1).default(['auto', 'MoM']),
  /** `GET /v1/models` lists configured models besides the auto names. */
  listConfiguredModels: z.boolean().default(true),
  defaultModel: z.string().min(1),
  models: z.array(Model).min(1, 'configure at least one model'),
  reasoningFamilies: z.record(z.string(), ReasoningFamily).default({
    qwen3: { type: 'chat_template_kwargs', parameter: 'enable_thinking' },
    deepseek: { type: 'chat_template_kwargs', parameter: 'thinking' },
    gpt: { type: 'reasoning_effort', parameter: 'reasoning_effort' },
    'gpt-oss': { type: 'reasoning_effort', parameter: 'reasoning_effort' },
  }),
  defaultReasoningEffort: z.enum(['low', 'medium', 'high']).default('high'),
  categories: z.array(Category).default([]),
  routing: z
    .strictObject({
      /** Which signal selects the category when several match, first wins. */
      signalPriority: z.array(z.enum(['custom', 'intent', 'domain'])).default(['custom', 'domain', 'intent']),
      /** Run guards on requests that name an explicit model too. */
      guardExplicitModels: z.boolean().default(true),
    })
    .prefault({}),
  classifiers: z
    .strictObject({
      executionProviders: z.array(z.enum(['cpu', 'cuda'])).default(['cpu']),
      domain: Classifier('models/domain', 0.3),
      intent: Classifier('models/intent', 0.5),
      /** Custom-category match threshold; default: the encoder's calibrated one (its manifest). */
      custom: z.strictObject({ threshold: z.number().min(0).max(1).optional() }).prefault({}),
      encoderDir: z.string().default('models/encoder'),
      /** What text is classified: the last user turn, plus optional context. */
      context: z
        .strictObject({
          previousUserTurns: z.number().int().min(0).default(0),
          includeSystemPrompt: z.boolean().default(false),
        })
        .prefault({}),
    })
    .prefault({}),
  guards: z
    .strictObject({
      jailbreak: z
        .strictObject({
          enabled: z.boolean().default(true),
          modelDir: z.string().default('models/jailbreak'),
          /** Score at or above which a prompt is a jailbreak; default: the model's recommended threshold. */
          threshold: z.number().min(0).max(1).optional(),
          action: z.enum(['block', 'flag']).default('block'),
          failurePolicy: FailurePolicy.default('closed'),
          /** Roles whose messages carry user-controlled text and are scanned (documents, tool output). */
          scanRoles: z
            .array(z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']))
            .min(1)
            .default(['user', 'tool', 'function']),
        })
        .prefault({}),
      pii: z
        .strictObject({
          enabled: z.boolean().default(true),
          modelDir: z.string().default('models/pii-ner'),
          threshold: z.number().min(0).max(1).default(0.5),
          /** Entity types to detect (default: all supported). */
          entities: z.array(z.string().min(1)).optional(),
          phoneRegions: z.array(z.string().length(2)).default(['US', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP']),
          failurePolicy: FailurePolicy.default('closed'),
        })
        .prefault({}),
      /** How blocks are answered: an OpenAI error (403) or a 200 completion with finish_reason content_filter. */
      blockResponse: z.enum(['error', 'content_filter']).default('error'),
    })
    .prefault({}),
  cache: z
    .strictObject({
      enabled: z.boolean().default(true),
      backend: z.enum(['embedded', 'qdrant']).default('embedded'),
      /**
       * Cosine at or above which a stored question is a candidate hit (then verified). Default: the
       * encoder's calibrated threshold (its manifest); required for an encoder without one.
       */
      similarityThreshold: z.number().min(0).max(1).optional(),
      ttlSeconds: z.number().int().positive().default(3600),
      maxEntries: z.number().int().positive().default(10000),
      /** Requests with a higher temperature are not stored (their answers are not reproducible). */
      maxTemperature: z.number().min(0).default(0.7),
      persistPath: z.string().optional(),
      failurePolicy: FailurePolicy.default('open'),
      qdrant: z
        .strictObject({
          url: z.string().default('http://127.0.0.1:6333'),
          apiKeyEnv: z.string().optional(),
          collectionPrefix: z.string().default('semantic_router_cache'),
        })
        .prefault({}),
    })
    .prefault({}),
  tools: z
    .strictObject({
      enabled: z.boolean().default(true),
      topK: z.number().int().positive().default(3),
      /** Minimum tool relevance (cosine); default: the encoder's calibrated tool threshold. */
      similarityThreshold: z.number().min(0).max(1).optional(),
      /** With no tool above the threshold: keep the original list, or send none. */
      whenNoneRelevant: z.enum(['keep', 'none']).default('keep'),
    })
    .prefault({}),
  bus: z
    .strictObject({
      mode: z.enum(['embedded', 'nats']).default('embedded'),
      /**
       * Embedded mode only: run the guard and the classifier + cache in worker threads, so models
       * use more than one core. Off by default: it raises throughput under load but each
       * cross-thread hop costs ~0.25 ms on a small VM, which a lightly loaded router pays in latency.
       */
      workerThreads: z.boolean().default(false),
      nats: NatsBus,
    })
    .prefault({}),
  timeouts: z
    .strictObject({
      guardMs: z.number().int().positive().default(500),
      classifyMs: z.number().int().positive().default(300),
      cacheLookupMs: z.number().int().positive().default(100),
      cacheStoreMs: z.number().int().positive().default(1000),
      upstreamMs: z.number().int().positive().default(300_000),
      upstreamConnectMs: z.number().int().positive().default(5_000),
    })
    .prefault({}),
  classifierFailurePolicy: FailurePolicy.default('open'),
  upstream: z
    .strictObject({
      /** Further attempts (next endpoint, then next model) on connect errors, 429 and 5xx before the first byte. */
      retries: z.number().int().min(0).default(2),
      ejectAfterFailures: z.number().int().positive().default(3),
      ejectForMs: z.number().int().positive().default(30_000),
    })
    .prefault({}),
  auth: z
    .strictObject({
      required: z.boolean().default(false),
      apiKeys: z
        .array(
          z.strictObject({
            /** Environment variable holding the key, or its SHA-256 hex; never the key in clear. */
            keyEnv: z.string().optional(),
            sha256: z
              .string()
              .regex(/^[0-9a-f]{64}$/, 'must be a lowercase SHA-256 hex digest')
              .optional(),
            tenant: z.string().min(1),
          }),
        )
        .default([]),
    })
    .prefault({}),
  limits: z
    .strictObject({
      maxBodyBytes: z
        .number()
        .int()
        .positive()
        .default(10 * 1024 * 1024),
    })
    .prefault({}),
  observability: z
    .strictObject({
      logLevel: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
      /** Log prompt and answer text. Off by default: prompts are redacted from logs. */
      logPrompts: z.boolean().default(false),
      tracing: z
        .strictObject({
          enabled: z.boolean().default(false),
          exporter: z.enum(['otlp', 'console', 'none']).default('otlp'),
          endpoint: z.string().optional(),
          sampleRate: z.number().min(0).max(1).default(1),
        })
        .prefault({}),
    })
    .prefault({}),
});

/** Input shape (what the YAML may omit). */
export type RawConfig = z.input<typeof ConfigSchema>;
/** The validated, fully defaulted config every service receives. */
export type RouterConfig = z.output<typeof ConfigSchema>;
export type ModelConfig = RouterConfig['models'][number];
export type CategoryConfig = RouterConfig['categories'][number];
export type EndpointConfig = ModelConfig['endpoints'][number];
