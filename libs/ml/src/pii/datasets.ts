import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsDir } from '../train/paths';
import type { LabelledSpan } from './labels';
import type { PresidioPools } from './faker-sentences';
import { parseCsv } from '../train/readers';

/** One annotated text: gold character spans (end exclusive) with Presidio entity names. */
export interface PiiExample {
  text: string;
  spans: LabelledSpan[];
  /** Where it came from, for per-source reporting. */
  source: string;
  /** Template key (see templateKey); examples sharing a key share a template. */
  key?: string;
}

/** Presidio-research names differ between its files; everything is mapped onto the names we emit. */
const TYPE_MAP: Record<string, string> = {
  GPE: 'LOCATION',
  LOCATION: 'LOCATION',
  ADDRESS: 'STREET_ADDRESS',
  STREET_ADDRESS: 'STREET_ADDRESS',
  PERSON: 'PERSON',
  ORGANIZATION: 'ORGANIZATION',
  DATE_TIME: 'DATE_TIME',
  CREDIT_CARD: 'CREDIT_CARD',
  PHONE_NUMBER: 'PHONE_NUMBER',
  EMAIL_ADDRESS: 'EMAIL_ADDRESS',
  IBAN_CODE: 'IBAN_CODE',
  US_SSN: 'US_SSN',
  IP_ADDRESS: 'IP_ADDRESS',
  DOMAIN_NAME: 'URL',
};

/** Entity types that presidio-research annotates but we do not detect (AGE, TITLE, NRP, ZIP_CODE, …). */
export function mapPresidioType(type: string): string | undefined {
  return TYPE_MAP[type];
}

/** Default location of the shared datasets (read at train/eval time, never copied into the repo). */
export function defaultDatasetRoot(): string {
  return datasetsDir();
}

/**
 * A template's identity independent of its filled values: placeholders and non-letters removed, lower
 * case. "My name is {{first_name}}" and "My name is {{PERSON}}" share a key, so a held-out template
 * stays held out in every file that instantiates it.
 */
export function templateKey(masked: string): string {
  return masked
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .toLowerCase()
    .replace(/[^\p{L}]+/gu, '');
}

interface PresidioRecord {
  full_text: string;
  masked?: string;
  spans: { entity_type: string; start_position: number; end_position: number }[];
  template_id?: number;
}

/** Loads a presidio-research json file (synth_dataset_v2 / generated_*), mapping entity names. */
export function loadPresidioJson(path: string, source: string): PiiExample[] {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as PresidioRecord[];
  return raw.map((r) => ({
    text: r.full_text,
    source,
    key: templateKey(r.masked ?? r.full_text),
    spans: r.spans.flatMap((s) => {
      const type = mapPresidioType(s.entity_type);
      return type ? [{ type, start: s.start_position, end: s.end_position }] : [];
    }),
  }));
}

/** Reads presidio's templates.txt (one template a line, literal `\n` escapes). */
export function loadTemplates(root: string): string[] {
  const path = join(root, 'c_pii/presidio_research/presidio_evaluator/data_generator/raw_data/templates.txt');
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim().length > 0);
}

const WNUT_MAP: Record<string, string> = {
  person: 'PERSON',
  location: 'LOCATION',
  corporation: 'ORGANIZATION',
  group: 'ORGANIZATION',
};

/**
 * Loads a WNUT-17 CoNLL file (token TAB tag, blank line between sentences). Tokens are joined with single
 * spaces and gold spans rebuilt on the joined text; product and creative-work tags are dropped.
 */
export function loadWnut(path: string, source: string): PiiExample[] {
  const out: PiiExample[] = [];
  let words: string[] = [];
  let tags: string[] = [];
  const flush = (): void => {
    if (words.length === 0) return;
    let text = '';
    const spans: LabelledSpan[] = [];
    let open: LabelledSpan | undefined;
    words.forEach((w, i) => {
      if (text.length > 0) text += ' ';
      const start = text.length;
      text += w;
      const tag = tags[i] ?? 'O';
      const type = WNUT_MAP[tag.slice(2)];
      if (tag.startsWith('B-') && type) {
        open = { type, start, end: text.length };
        spans.push(open);
      } else if (tag.startsWith('I-') && type && open && open.type === type) {
        open.end = text.length;
      } else {
        open = undefined;
      }
    });
    out.push({ text, spans, source });
    words = [];
    tags = [];
  };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const trimmed = line.replace(/\r$/, '');
    if (trimmed.trim() === '') {
      flush();
      continue;
    }
    const [word, tag] = trimmed.split('\t');
    if (word === undefined) continue;
    words.push(word);
    tags.push(tag ?? 'O');
  }
  flush();
  return out;
}

/** The template lines held out of training: every fifth line of templates.txt (by 0-based index). */
export function heldOutTemplateKeys(templates: readonly string[]): Set<string> {
  const keys = new Set<string>();
  templates.forEach((t, i) => {
    if (i % 5 === 0) keys.add(templateKey(t));
  });
  return keys;
}

/** The presidio splits: held-out templates go to test only; the rest is training data. */
export interface PresidioSplits {
  train: PiiExample[];
  test: PiiExample[];
  heldOutKeys: Set<string>;
}

/**
 * How presidio sentences are held out. `sentence`: every fifth sentence by a hash of its text (the usual
 * random split; templates are shared with training, values are not). `template`: whole templates are
 * held out (stricter: the test sentences' wording was never seen).
 */
export type PiiSplitMode = 'sentence' | 'template';

function hashText(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Splits presidio-research's annotated files (synth_dataset_v2 and generated_large) into train and
 * test. In `template` mode nothing from a held-out template is ever trained on, including the
 * sentences we generate ourselves.
 */
export function presidioSplits(
  root: string = defaultDatasetRoot(),
  mode: PiiSplitMode = 'sentence',
): PresidioSplits {
  const templates = loadTemplates(root);
  const heldOutKeys = mode === 'template' ? heldOutTemplateKeys(templates) : new Set<string>();
  const base = join(root, 'c_pii/presidio_research');
  const all = [
    ...loadPresidioJson(join(base, 'data/synth_dataset_v2.json'), 'presidio-synth-v2'),
    ...loadPresidioJson(join(base, 'tests/data/generated_large.json'), 'presidio-generated-large'),
  ];
  const train: PiiExample[] = [];
  const test: PiiExample[] = [];
  for (const ex of all) {
    const held = mode === 'template' ? heldOutKeys.has(ex.key ?? '') : hashText(ex.text) % 5 === 0;
    (held ? test : train).push(ex);
  }
  return { train, test, heldOutKeys };
}

/** WNUT-17 train+dev for training, test for reporting. */
export function wnutSplits(root: string = defaultDatasetRoot()): { train: PiiExample[]; test: PiiExample[] } {
  const base = join(root, 'c_pii/wnut17_emerging_entities');
  return {
    train: [
      ...loadWnut(join(base, 'wnut17train.conll'), 'wnut17'),
      ...loadWnut(join(base, 'emerging.dev.conll'), 'wnut17'),
    ],
    test: loadWnut(join(base, 'emerging.test.annotated'), 'wnut17-test'),
  };
}

// One CSV parser for every dataset reader (RFC 4180: quoted fields, doubled quotes, newlines).
export { parseCsv } from '../train/readers';

/** FakeNameGenerator identities and the company list from presidio-research's generator data. */
export function loadPresidioPools(root: string = defaultDatasetRoot()): PresidioPools {
  const base = join(root, 'c_pii/presidio_research/presidio_evaluator/data_generator/raw_data');
  const [header, ...rows] = parseCsv(
    readFileSync(join(base, 'FakeNameGenerator.com_3000.csv'), 'utf8').replace(/^\uFEFF/, ''),
  );
  const col = (name: string): number => header!.indexOf(name);
  const c = {
    given: col('GivenName'),
    middle: col('MiddleInitial'),
    surname: col('Surname'),
    street: col('StreetAddress'),
    city: col('City'),
    state: col('State'),
    zip: col('ZipCode'),
    country: col('CountryFull'),
    company: col('Company'),
  };
  const identities = rows
    .filter((r) => r.length >= header!.length && r[c.given])
    .map((r) => ({
      given: r[c.given]!,
      middle: r[c.middle]!,
      surname: r[c.surname]!,
      street: r[c.street]!,
      city: r[c.city]!,
      state: r[c.state]!,
      zip: r[c.zip]!,
      country: r[c.country]!,
      company: r[c.company]!,
    }));
  const companies = parseCsv(readFileSync(join(base, 'companies_and_organizations.csv'), 'utf8'))
    .slice(1)
    .map((r) => (r[0] ?? '').trim())
    .filter((x) => x.length > 0);
  const nationalities = parseCsv(readFileSync(join(base, 'nationalities.csv'), 'utf8').replace(/^\uFEFF/, ''))
    .slice(1)
    .filter((r) => r.length >= 5 && r[1])
    .map((r) => ({ nationality: r[1]!, woman: r[3]!, plural: r[4]! }));
  return { identities, companies, nationalities };
}
