import {
  defaultDatasetRoot,
  loadPresidioPools,
  loadTemplates,
  presidioSplits,
  heldOutTemplateKeys,
  templateKey,
  wnutSplits,
} from './datasets';
import type { PiiExample, PiiSplitMode } from './datasets';
import { generateFakerSentences } from './faker-sentences';
import { MODEL_ENTITY_TYPES, bioLabels } from './labels';
import { encodeExamples, trainTagger } from './trainer';
import { saveTaggerModel } from './export';
import { loadNegatives } from './negatives';
import { buildLexiconFromFaker } from './lexicon';
import { EXTRA_TEMPLATES } from './extra-templates';

export interface TrainPiiOptions {
  outDir: string;
  datasetRoot?: string;
  /** Faker sentences generated from presidio's (non-held-out) templates. */
  fakerSentences?: number;
  epochs?: number;
  buckets?: number;
  dim?: number;
  hidden?: number;
  seed?: number;
  split?: PiiSplitMode;
  log?: (line: string) => void;
}

/**
 * Trains the PII entity model end to end: presidio-research train split + WNUT-17 + faker sentences
 * from the training templates → BIO tagger → `model.onnx` + `config.json` in `outDir`.
 */
export async function trainPiiModel(
  options: TrainPiiOptions,
): Promise<{ bytes: number; trainExamples: number }> {
  const log = options.log ?? ((l: string) => console.log(l));
  const root = options.datasetRoot ?? defaultDatasetRoot();
  const seed = options.seed ?? 13;
  const split = options.split ?? 'sentence';
  const presidio = presidioSplits(root, split);
  const wnut = wnutSplits(root);
  const templates = loadTemplates(root);
  const held = split === 'template' ? heldOutTemplateKeys(templates) : new Set<string>();
  const trainTemplates = templates.filter((t) => !held.has(templateKey(t)));
  const pools = loadPresidioPools(root);
  const faker = await generateFakerSentences(
    [...trainTemplates, ...EXTRA_TEMPLATES],
    options.fakerSentences ?? 30000,
    seed,
    pools,
  );
  const negatives = loadNegatives(
    root,
    { banking: 3000, codegen: 3000, stem: 2000, numeric: 4000, demonyms: 1500 },
    seed,
    pools.nationalities.map((n) => n.nationality),
  );
  const labels = bioLabels(MODEL_ENTITY_TYPES);
  // WNUT tweets are noisy and sparsely annotated; a lower weight keeps them from dragging precision down.
  const examples: (PiiExample & { weight?: number })[] = [
    ...presidio.train,
    ...faker,
    ...wnut.train.map((e) => ({ ...e, weight: 0.5 })),
    ...negatives,
  ];
  log(
    `pii: ${presidio.train.length} presidio train, ${faker.length} faker (from ${trainTemplates.length}/${templates.length} templates), ${wnut.train.length} wnut17, ${negatives.length} entity-free; held out ${presidio.test.length} presidio sentences`,
  );
  const buckets = options.buckets ?? 1 << 18;
  const lexicon = await buildLexiconFromFaker();
  const encoded = encodeExamples(examples, labels, buckets, lexicon);
  const epochs = options.epochs ?? 6;
  const shape = { buckets, dim: options.dim ?? 24, hidden: options.hidden ?? 64 };
  const weights = trainTagger(encoded, {
    shape,
    labels,
    epochs,
    lr: 2e-3,
    embLr: 0.05,
    featureDropout: 0.15,
    seed,
    onEpoch: (e, loss) => log(`pii: epoch ${e + 1}/${epochs} loss ${loss.toFixed(4)}`),
  });
  const bytes = await saveTaggerModel(options.outDir, weights, {
    labels,
    lexicon,
    entityTypes: [...MODEL_ENTITY_TYPES],
    training: {
      presidioTrain: presidio.train.length,
      fakerSentences: faker.length,
      wnutTrain: wnut.train.length,
      negatives: negatives.length,
      split,
      epochs,
      seed,
      ...shape,
    },
  });
  log(`pii: wrote ${options.outDir} (model.onnx ${(bytes / 1e6).toFixed(2)} MB)`);
  return { bytes, trainExamples: examples.length };
}
