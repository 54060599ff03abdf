import {
  detectModelKind,
  HfTokenClassifier,
  PiiEntityModel,
  type EntitySpanLike,
  type EntityTaggerLike,
} from '@sr/ml';

/**
 * Entity names Hugging Face NER models commonly use, mapped to Presidio's (the names policies,
 * redaction placeholders and metrics use). Unlisted names pass through upper-cased; a type the
 * config does not ask for is dropped by the detector.
 */
const PRESIDIO_NAMES: Readonly<Record<string, string>> = {
  PER: 'PERSON',
  PERSON: 'PERSON',
  LOC: 'LOCATION',
  LOCATION: 'LOCATION',
  GPE: 'LOCATION',
  ORG: 'ORGANIZATION',
  ORGANIZATION: 'ORGANIZATION',
  ORGANISATION: 'ORGANIZATION',
  DATE: 'DATE_TIME',
  TIME: 'DATE_TIME',
  DATE_TIME: 'DATE_TIME',
  ADDRESS: 'STREET_ADDRESS',
  STREET_ADDRESS: 'STREET_ADDRESS',
};

export function presidioEntityName(name: string): string {
  const key = name.toUpperCase();
  return PRESIDIO_NAMES[key] ?? key;
}

/**
 * The PII entity model in `dir`: the project's tagger (`config.json` + `lexicon.json`) or a
 * Hugging Face token-classification export (`tokenizer.json`, `id2label`), whose spans are
 * renamed to Presidio's entity names.
 */
export async function loadPiiTagger(
  dir: string,
  options: { executionProviders?: readonly ('cpu' | 'cuda')[] } = {},
): Promise<EntityTaggerLike> {
  if (detectModelKind(dir) !== 'hf') return PiiEntityModel.load(dir);
  const hf = await HfTokenClassifier.load(dir, options);
  return {
    async predictBatch(texts): Promise<EntitySpanLike[][]> {
      const spans = await hf.predictBatch(texts);
      return spans.map((row) =>
        row.map((s) => ({ type: presidioEntityName(s.type), start: s.start, end: s.end, score: s.score })),
      );
    },
    close: () => hf.close(),
  };
}
