import { z } from 'zod';

/** Where training data came from (for provenance and licence review). */
export const DataSourceSchema = z.object({
  name: z.string().min(1),
  path: z.string().min(1),
  rows: z.number().int().min(0),
  license: z.string().min(1),
});

/**
 * `manifest.json` next to every `model.onnx`. Nested objects are open (`loose`) so each model
 * kind can add its own parameters; the fields every consumer relies on are checked.
 */
export const ManifestSchema = z
  .object({
    schemaVersion: z.literal(1),
    name: z.string().min(1),
    /** What the model answers, e.g. `domain`, `intent`, `jailbreak`, `embedding`, `pii`. */
    task: z.string().min(1),
    kind: z.enum(['text-classifier', 'text-encoder', 'token-classifier']),
    /** Output classes in output order (empty for encoders). */
    labels: z.array(z.string().min(1)),
    /** How text becomes tensors; `type` selects the featuriser (e.g. `hashed-ngrams`). */
    preprocessing: z.looseObject({ type: z.string().min(1) }),
    model: z.object({
      file: z.string().min(1),
      sha256: z.string().regex(/^[0-9a-f]{64}$/u),
      bytes: z.number().int().positive(),
      inputs: z.array(z.string().min(1)).min(1),
      outputs: z.array(z.string().min(1)).min(1),
    }),
    /** Held-out metrics measured at training time. */
    metrics: z.record(z.string(), z.unknown()),
    data: z.looseObject({
      sources: z.array(DataSourceSchema),
      split: z.looseObject({ method: z.string().min(1), testFraction: z.number().min(0).max(1) }),
    }),
    training: z.looseObject({ seed: z.number().int() }),
    createdAt: z.string().min(1),
  })
  .loose()
  .superRefine((m, ctx) => {
    if (m.kind !== 'text-encoder' && m.labels.length < 2)
      ctx.addIssue({ code: 'custom', path: ['labels'], message: 'a classifier needs at least two labels' });
    if (new Set(m.labels).size !== m.labels.length)
      ctx.addIssue({ code: 'custom', path: ['labels'], message: 'labels must be unique' });
  });

export type Manifest = z.infer<typeof ManifestSchema>;
export type DataSource = z.infer<typeof DataSourceSchema>;
