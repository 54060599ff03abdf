import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from '../runtime';
import { readCsv, readJson, readJsonl } from '../train/readers';
import type { LabeledText } from '../train/task';

/** The 14 MMLU-Pro categories, in model output order. */
export const DOMAIN_LABELS = [
  'biology',
  'business',
  'chemistry',
  'computer science',
  'economics',
  'engineering',
  'health',
  'history',
  'law',
  'math',
  'other',
  'philosophy',
  'physics',
  'psychology',
] as const;
export type DomainLabel = (typeof DOMAIN_LABELS)[number];

/**
 * Original MMLU subjects → MMLU-Pro category, as MMLU-Pro itself assigns them (read off its
 * `src` field); moral_scenarios, which MMLU-Pro dropped, goes to philosophy.
 */
export const MMLU_SUBJECT_CATEGORY: Readonly<Record<string, DomainLabel>> = {
  abstract_algebra: 'math',
  anatomy: 'health',
  astronomy: 'physics',
  business_ethics: 'business',
  clinical_knowledge: 'health',
  college_biology: 'biology',
  college_chemistry: 'chemistry',
  college_computer_science: 'computer science',
  college_mathematics: 'math',
  college_medicine: 'health',
  college_physics: 'physics',
  computer_security: 'computer science',
  conceptual_physics: 'physics',
  econometrics: 'economics',
  electrical_engineering: 'engineering',
  elementary_mathematics: 'math',
  formal_logic: 'philosophy',
  global_facts: 'other',
  high_school_biology: 'biology',
  high_school_chemistry: 'chemistry',
  high_school_computer_science: 'computer science',
  high_school_european_history: 'history',
  high_school_geography: 'other',
  high_school_government_and_politics: 'other',
  high_school_macroeconomics: 'economics',
  high_school_mathematics: 'math',
  high_school_microeconomics: 'economics',
  high_school_physics: 'physics',
  high_school_psychology: 'psychology',
  high_school_statistics: 'math',
  high_school_us_history: 'history',
  high_school_world_history: 'history',
  human_aging: 'health',
  human_sexuality: 'other',
  international_law: 'law',
  jurisprudence: 'law',
  logical_fallacies: 'philosophy',
  machine_learning: 'computer science',
  management: 'business',
  marketing: 'business',
  medical_genetics: 'health',
  miscellaneous: 'other',
  moral_disputes: 'philosophy',
  moral_scenarios: 'philosophy',
  nutrition: 'health',
  philosophy: 'philosophy',
  prehistory: 'history',
  professional_accounting: 'other',
  professional_law: 'law',
  professional_medicine: 'health',
  professional_psychology: 'psychology',
  public_relations: 'other',
  security_studies: 'other',
  sociology: 'other',
  us_foreign_policy: 'other',
  virology: 'health',
  world_religions: 'philosophy',
};

/** CLINC150 intents (everyday assistant requests) → category; unlisted intents are `other`. */
const CLINC_INTENT_CATEGORY: Readonly<Record<string, DomainLabel>> = {
  calories: 'health',
  nutrition_info: 'health',
  vaccines: 'health',
  calculator: 'math',
  measurement_conversion: 'math',
  improve_credit_score: 'business',
  credit_score: 'business',
  interest_rate: 'business',
  apr: 'business',
  rollover_401k: 'business',
  taxes: 'business',
  income: 'business',
  exchange_rate: 'economics',
  meaning_of_life: 'philosophy',
};
const CLINC_BUSINESS_DOMAINS = new Set(['banking', 'credit_cards']);

export interface DomainRawData {
  readonly items: LabeledText[];
  readonly sources: DataSource[];
}

/**
 * MMLU-Pro questions (question text only). With `withOptions`, also each question followed by its
 * answer options, as a train-only item split with its question: the options carry the domain's
 * vocabulary, while evaluation still sees the question alone.
 */
export function loadMmluPro(root: string, withOptions = false): LabeledText[] {
  const rows = readJsonl<{ question: string; category: string; options: string[] }>(
    join(root, 'a_domain/mmlu_pro/mmlu_pro_test.jsonl'),
  );
  const out: LabeledText[] = rows.map((r) => ({ text: r.question, label: r.category, source: 'mmlu_pro' }));
  if (withOptions) {
    for (const r of rows)
      out.push({
        text: `${r.question}\n${r.options.join('\n')}`,
        label: r.category,
        source: 'mmlu_pro-options',
        splitKey: r.question,
        trainOnly: true,
      });
  }
  return out;
}

/**
 * Original MMLU (dev + test) questions, labelled through the subject map. With `withOptions`, also
 * each question followed by its four choices, train-only and split with its question (as for
 * MMLU-Pro).
 */
export function loadMmlu(root: string, withOptions = false): LabeledText[] {
  const out: LabeledText[] = [];
  const extra: LabeledText[] = [];
  for (const split of ['test', 'dev']) {
    const dir = join(root, 'a_domain/mmlu_hendrycks_via_MLILAB-FedLLM/data/mmlu', split);
    for (const file of readdirSync(dir).sort()) {
      const subject = file.replace(/_(test|dev)\.csv$/u, '');
      const label = MMLU_SUBJECT_CATEGORY[subject];
      if (label === undefined) continue;
      for (const row of readCsv(join(dir, file))) {
        const question = row['question'];
        if (!question) continue;
        out.push({ text: question, label, source: 'mmlu' });
        if (withOptions)
          extra.push({
            text: [question, ...[0, 1, 2, 3].map((i) => row[`choice${i}`] ?? '')].join('\n'),
            label,
            source: 'mmlu-options',
            splitKey: question,
            trainOnly: true,
          });
      }
    }
  }
  // Variants after every question, so dedupe keeps each question as its own item first.
  return [...out, ...extra];
}

/** CLINC150 everyday requests (train split only; a fixed share per intent keeps `other` from dominating). */
export function loadClinc(root: string, perIntent: number): LabeledText[] {
  const data = readJson<Record<string, [string, string][]>>(
    join(root, 'a_domain/clinc150_oos_eval/data/data_full.json'),
  );
  const domains = readJson<Record<string, string[]>>(
    join(root, 'a_domain/clinc150_oos_eval/data/domains.json'),
  );
  const domainOf = new Map<string, string>();
  for (const [d, intents] of Object.entries(domains)) for (const i of intents) domainOf.set(i, d);
  const taken = new Map<string, number>();
  const out: LabeledText[] = [];
  for (const [text, intent] of [...(data['train'] ?? []), ...(data['val'] ?? [])]) {
    const n = taken.get(intent) ?? 0;
    if (n >= perIntent) continue;
    taken.set(intent, n + 1);
    const label =
      CLINC_INTENT_CATEGORY[intent] ??
      (CLINC_BUSINESS_DOMAINS.has(domainOf.get(intent) ?? '') ? 'business' : 'other');
    out.push({ text, label, source: 'clinc150' });
  }
  return out;
}

/** GSM8K word problems (math) and code instructions (computer science), sampled. */
export function loadMathAndCode(root: string, perSource: number): LabeledText[] {
  const gsm = readJsonl<{ question: string }>(
    join(root, 'a_domain/gsm8k_openai/grade_school_math/data/train.jsonl'),
  ).slice(0, perSource);
  const code = readJson<{ instruction: string; input: string }[]>(
    join(root, 'a_domain/gpteacher/Codegen/codegen-instruct.json'),
  ).slice(0, perSource);
  return [
    ...gsm.map((r) => ({ text: r.question, label: 'math', source: 'gsm8k' })),
    ...code.map((r) => ({ text: r.instruction, label: 'computer science', source: 'gpteacher-codegen' })),
  ];
}
