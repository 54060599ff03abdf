import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PiiExample } from './datasets';
import { parseCsv } from './datasets';
import { mulberry32 } from './faker-sentences';

/*
 * Texts with no entities. Presidio's sentences almost all contain PII, so without these the tagger
 * learns that every capitalised first word or bare number is an entity ("Explain …", "1240 kg").
 * Sources are chosen for having few names or places: banking questions, coding instructions, STEM
 * exam questions, plus generated number-heavy text.
 */

function sample<T>(xs: readonly T[], n: number, rnd: () => number): T[] {
  const copy = [...xs];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

const neg = (text: string, source: string): PiiExample => ({ text, spans: [], source });

function banking(root: string, n: number, rnd: () => number): PiiExample[] {
  const rows = parseCsv(readFileSync(join(root, 'g_more/banking77/train.csv'), 'utf8')).slice(1);
  return sample(rows, n, rnd).map((r) => neg(r[0] ?? '', 'neg-banking77'));
}

function codegen(root: string, n: number, rnd: () => number): PiiExample[] {
  const rows = JSON.parse(
    readFileSync(join(root, 'a_domain/gpteacher/Codegen/codegen-instruct.json'), 'utf8'),
  ) as {
    instruction: string;
    input: string;
  }[];
  return sample(rows, n, rnd).map((r) =>
    neg(r.input ? `${r.instruction}\n${r.input}` : r.instruction, 'neg-codegen'),
  );
}

const STEM = new Set(['math', 'physics', 'chemistry', 'engineering', 'computer science']);

function stem(root: string, n: number, rnd: () => number): PiiExample[] {
  const rows = readFileSync(join(root, 'a_domain/mmlu_pro/mmlu_pro_test.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { question: string; category: string })
    .filter((r) => STEM.has(r.category) && r.question.length < 600);
  return sample(rows, n, rnd).map((r) => neg(r.question, 'neg-mmlu-stem'));
}

/** Number-heavy sentences: versions, ids, measurements, lists, arithmetic. */
function numeric(n: number, rnd: () => number): PiiExample[] {
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const digits = (k: number): string => Array.from({ length: k }, () => int(0, 9)).join('');
  const version = (): string =>
    `${int(0, 30)}.${int(0, 40)}.${int(0, 200)}${rnd() < 0.3 ? `-${['rc', 'beta', 'alpha'][int(0, 2)]}.${int(1, 9)}` : ''}`;
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const things = [
    'items',
    'pallets',
    'pages',
    'users',
    'requests',
    'rows',
    'files',
    'tickets',
    'units',
    'servers',
  ];
  const units = ['kg', 'km', 'mm', 'ml', 'GB', 'MB', 'ms', 'W', 'kWh', 'psi', 'rpm', '%'];
  const products = [
    'Python',
    'Node',
    'Java',
    'Kernel',
    'Chrome',
    'Firefox',
    'Postgres',
    'Redis',
    'Ubuntu',
    'Debian',
    'React',
    'Go',
    'Rust',
    'Docker',
    'npm',
    'Gradle',
    'firmware',
    'iOS',
    'Android',
  ];
  const idWords = [
    'Order',
    'Invoice',
    'Ticket',
    'Reference',
    'SKU',
    'Batch',
    'Build',
    'Part number',
    'Case',
    'Issue',
    'Receipt',
    'Item',
    'Shipment',
    'Tracking number',
    'ISBN',
    'DOI',
    'Serial',
  ];
  const gens: (() => string)[] = [
    () => `Upgrade ${pick(products)} from ${version()} to ${version()} before the release.`,
    () => `${pick(products)} ${version()} fails but ${version()} works fine.`,
    () =>
      `${pick(idWords)} ${digits(int(6, 16))} was ${pick(['delayed', 'closed', 'merged', 'cancelled', 'reopened'])}.`,
    () => `${pick(idWords)} #${digits(int(4, 10))}-${digits(int(2, 6))} needs review.`,
    () =>
      `The ${pick(['box', 'file', 'board', 'tank', 'disk'])} is ${int(1, 5000)} ${pick(units)} and costs $${int(1, 9999)}.${digits(2)}.`,
    () => `What is ${int(2, 99999)} ${pick(['+', '-', '*', '/', 'times', 'divided by'])} ${int(2, 9999)}?`,
    () => `Sort ${Array.from({ length: int(3, 9) }, () => int(0, 9999)).join(', ')} in ascending order.`,
    () =>
      `We processed ${int(1000, 9999999).toLocaleString('en-US')} ${pick(things)} in ${int(2, 59)} minutes.`,
    () =>
      `${pick(['Compute', 'Calculate', 'Estimate', 'Convert', 'Round', 'Solve', 'Explain', 'Write', 'Summarise', 'Translate', 'List', 'Compare', 'Describe'])} ${pick(['the average of', 'the sum of', 'the ratio of', 'the difference between'])} ${int(1, 999)} and ${int(1, 999)}.`,
    () =>
      `ISBN ${pick(['978', '979'])}-${int(0, 9)}-${digits(int(2, 5))}-${digits(int(2, 5))}-${int(0, 9)} is the ${pick(['first', 'second', 'third'])} edition.`,
    () => `Port ${int(1024, 65535)} is busy, try ${int(1024, 65535)}.`,
    () => `Error code 0x${digits(8)} appears after ${int(2, 90)} seconds.`,
    () =>
      `The hash starts with ${Array.from({ length: 16 }, () => '0123456789abcdef'[int(0, 15)]).join('')}.`,
    () =>
      `Readings: ${Array.from({ length: int(3, 7) }, () => (rnd() * 100).toFixed(int(1, 3))).join(', ')}.`,
    () =>
      `${pick(['Latitude', 'Longitude', 'Elevation', 'Temperature', 'Pressure', 'Voltage'])} ${(rnd() * 180).toFixed(4)} ${pick(['was logged', 'is out of range', 'looks wrong'])}.`,
    () => `Dimensions: ${int(10, 2000)} x ${int(10, 2000)} x ${int(1, 100)} mm.`,
    () => `The recipe needs ${int(50, 500)} g flour, ${int(1, 6)} eggs and ${int(50, 500)} ml milk.`,
  ];
  return Array.from({ length: n }, () => neg(pick(gens)(), 'neg-numeric'));
}

/** Demonyms and language names in everyday requests ("Translate this into French"). */
function demonyms(n: number, rnd: () => number, words: readonly string[]): PiiExample[] {
  if (words.length === 0) return [];
  const cap = (w: string): string =>
    w.replace(/(^|[\s-])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase());
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const gens: ((w: string) => string)[] = [
    (w) => `Translate this paragraph into ${w}.`,
    (w) => `Is ${w} grammar harder than English grammar?`,
    (w) => `Give me a classic ${w} recipe for dinner.`,
    (w) => `What are typical ${w} breakfast foods?`,
    (w) => `Explain the history of the ${w} language in two paragraphs.`,
    (w) => `Recommend three ${w} novels for a beginner.`,
    (w) => `How do you say thank you in ${w}?`,
    (w) => `Which ${w} dishes are vegetarian?`,
  ];
  return Array.from({ length: n }, () => neg(pick(gens)(cap(pick(words))), 'neg-demonyms'));
}

export interface NegativeCounts {
  banking: number;
  codegen: number;
  stem: number;
  numeric: number;
  demonyms: number;
}

/** Loads and generates entity-free training texts. */
export function loadNegatives(
  root: string,
  counts: NegativeCounts,
  seed: number,
  nationalityWords: readonly string[] = [],
): PiiExample[] {
  const rnd = mulberry32(seed ^ 0x5eed);
  return [
    ...banking(root, counts.banking, rnd),
    ...codegen(root, counts.codegen, rnd),
    ...stem(root, counts.stem, rnd),
    ...numeric(counts.numeric, rnd),
    ...demonyms(counts.demonyms, rnd, nationalityWords),
  ].filter((e) => e.text.trim().length > 0);
}
