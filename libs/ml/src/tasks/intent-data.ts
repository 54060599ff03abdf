import { join } from 'node:path';
import type { DataSource } from '../runtime';
import type { Prng } from '../train/prng';
import { readJson, readJsonl } from '../train/readers';
import type { LabeledText } from '../train/task';

/** Coarse request intents, in model output order. */
export const INTENT_LABELS = [
  'code_generation',
  'creative_writing',
  'math',
  'general_chat',
  'summarization',
] as const;
export type IntentLabel = (typeof INTENT_LABELS)[number];

interface GpTeacher {
  instruction: string;
  input: string;
  response: string;
}
interface MtBench {
  category: string;
  turns: string[];
}

const MTBENCH_INTENT: Readonly<Record<string, IntentLabel>> = {
  writing: 'creative_writing',
  roleplay: 'creative_writing',
  math: 'math',
  coding: 'code_generation',
  reasoning: 'general_chat',
  stem: 'general_chat',
  humanities: 'general_chat',
  generic: 'general_chat',
  knowledge: 'general_chat',
  'common-sense': 'general_chat',
  fermi: 'general_chat',
  counterfactual: 'general_chat',
};

const withInput = (r: GpTeacher): string =>
  r.input && r.input.trim() ? `${r.instruction}\n${r.input}` : r.instruction;

/** Dataset-backed examples for every intent except summarization. */
export function loadIntentDatasets(root: string, rng: Prng): LabeledText[] {
  const a = (p: string): string => join(root, 'a_domain', p);
  const out: LabeledText[] = [];
  for (const r of readJson<GpTeacher[]>(a('gpteacher/Codegen/codegen-instruct.json')))
    out.push({ text: withInput(r), label: 'code_generation', source: 'gpteacher-codegen' });
  for (const r of readJsonl<{ prompt: string }>(a('humaneval_openai/data/HumanEval.jsonl.gz'))) {
    out.push({ text: `Complete this function:\n${r.prompt}`, label: 'code_generation', source: 'humaneval' });
  }
  for (const r of readJson<GpTeacher[]>(
    a('gpteacher/Roleplay/roleplay-simple-deduped-roleplay-instruct.json'),
  ))
    out.push({ text: withInput(r), label: 'creative_writing', source: 'gpteacher-roleplay' });
  for (const r of rng.sample(
    readJsonl<{ question: string }>(a('gsm8k_openai/grade_school_math/data/train.jsonl')),
    2500,
  ))
    out.push({ text: r.question, label: 'math', source: 'gsm8k' });
  const pro = readJsonl<{ question: string; category: string }>(a('mmlu_pro/mmlu_pro_test.jsonl'));
  for (const r of pro.filter((q) => q.category === 'math'))
    out.push({ text: r.question, label: 'math', source: 'mmlu_pro-math' });
  // Knowledge questions from every other exam category are ordinary chat questions.
  for (const r of rng.sample(
    pro.filter((q) => q.category !== 'math' && q.category !== 'computer science'),
    2500,
  )) {
    out.push({ text: r.question, label: 'general_chat', source: 'mmlu_pro-other' });
  }
  const clinc = readJson<Record<string, [string, string][]>>(a('clinc150_oos_eval/data/data_full.json'));
  for (const [text] of rng.sample(clinc['train'] ?? [], 3000))
    out.push({ text, label: 'general_chat', source: 'clinc150' });
  for (const bench of ['mtbench', 'vicuna']) {
    for (const r of readJsonl<MtBench>(
      a(`mtbench_vicuna_questions_via_MLILAB-FedLLM/evaluation/open_ended/data/${bench}/question.jsonl`),
    )) {
      const label = MTBENCH_INTENT[r.category];
      const first = r.turns[0];
      // MT-Bench "extraction" asks to pull facts out of a text: not one of our five intents.
      if (label && first) out.push({ text: first, label, source: bench });
    }
  }
  return out;
}

/** Long texts to wrap in summarisation requests: emails, generated answers, stories, code docs. */
export function loadSummarySources(root: string): { text: string; source: string }[] {
  const bodies: { text: string; source: string }[] = [];
  for (const f of ['train', 'test']) {
    for (const r of readJsonl<{ context: string }>(
      join(root, 'g_more/bipia_indirect_injection/benchmark/email', `${f}.jsonl`),
    ))
      bodies.push({ text: r.context.replace(/\|/gu, '\n'), source: 'bipia-email' });
  }
  for (const file of [
    'Roleplay/roleplay-simple-deduped-roleplay-instruct.json',
    'Toolformer/toolformer-dedupe-only-dataset.json',
  ]) {
    for (const r of readJson<GpTeacher[]>(join(root, 'a_domain/gpteacher', file)))
      if (r.response.length > 300) bodies.push({ text: r.response, source: 'gpteacher-response' });
  }
  for (const r of readJson<{ origin: string; similar: string }[]>(
    join(root, 'e_paraphrase/gptcache_mock_data/mock_data.json'),
  ))
    if (r.origin.length > 200) bodies.push({ text: r.origin, source: 'gptcache' });
  return bodies;
}

const SUMMARY_BEFORE: readonly string[] = [
  'Summarize the following text:',
  'Summarize this:',
  'Can you summarize this for me?',
  'TL;DR:',
  'tldr please',
  'Give me a short summary of this article:',
  'Please write a brief summary of the following email.',
  'Summarize in 3 bullet points:',
  'What are the key points of this text?',
  'Condense this into one paragraph:',
  'Sum up the main ideas:',
  'Give me the gist of this:',
  'Write an executive summary of the following:',
  'Summarize the text below in two sentences.',
  'Can you give me a quick recap of this?',
  'Shorten this to a one-line summary:',
  "I don't have time to read this, what does it say?",
  'Boil this down for me:',
  'Create a summary of the following content for my manager:',
  'Key takeaways from this, please:',
  'Make a concise abstract for this text:',
  'Summarise:',
  'Please provide a synopsis of the following:',
  'Outline the main points of this passage:',
];
const SUMMARY_AFTER: readonly string[] = [
  'Summarize the above.',
  'Can you summarize that?',
  'TL;DR?',
  'Give me the key points.',
  'Please summarize this in a few sentences.',
  'What is the gist?',
  'Summarize it in one sentence.',
  'Write a short summary.',
  'Sum this up for me.',
  'Recap the above in bullet points.',
  'What are the main takeaways?',
];

/** Summarisation requests built around real texts; the split key is the wrapped body. */
export function generateSummarization(
  bodies: readonly { text: string; source: string }[],
  rng: Prng,
  perBody: number,
): LabeledText[] {
  const out: LabeledText[] = [];
  for (const body of bodies) {
    for (let k = 0; k < perBody; k++) {
      const text = body.text.length > 1500 ? body.text.slice(0, 1500) : body.text;
      const prompt =
        rng.next() < 0.7
          ? `${rng.pick(SUMMARY_BEFORE)}${rng.next() < 0.5 ? '\n\n' : ' '}${text}`
          : `${text}\n\n${rng.pick(SUMMARY_AFTER)}`;
      out.push({
        text: prompt,
        label: 'summarization',
        source: `summary-${body.source}`,
        splitKey: body.text,
      });
    }
  }
  return out;
}

const CREATIVE_FORMS = [
  'a poem',
  'a short story',
  'a haiku',
  'song lyrics',
  'a limerick',
  'a fairy tale',
  'a sonnet',
  'a screenplay scene',
  'a bedtime story',
  'a rap verse',
  'a fable',
  'a monologue',
  'a diary entry from the perspective of',
  'a dialogue about',
  'a creative slogan for',
];
const CREATIVE_TOPICS = [
  'the ocean',
  'a lonely robot',
  'first love',
  'a haunted lighthouse',
  'winter mornings',
  'a cat who wants to be a pirate',
  'the city at night',
  'losing a friend',
  'a time traveler',
  'a dragon',
  'autumn',
  'a small bakery',
  'the moon',
  'a detective in Tokyo',
  'growing old',
  'a brave mouse',
  'the last tree on earth',
  'a summer road trip',
  'a wizard school',
  'coffee',
  'rain on the roof',
  'a spaceship crew',
  'a forgotten toy',
  "my grandmother's kitchen",
];
const CREATIVE_FRAMES = [
  'Write {f} about {t}.',
  'write {f} about {t}',
  'Can you write {f} about {t}?',
  'Compose {f} about {t}',
  'I want {f} about {t}, make it funny',
  'Please create {f} about {t} for my kids',
  'Give me {f} about {t} in the style of Dr. Seuss',
  'write me {f} about {t}, under 100 words',
];

/** Extra creative requests so short prompts like "write a haiku about X" are covered. */
export function generateCreative(rng: Prng, n: number): LabeledText[] {
  return Array.from({ length: n }, () => ({
    text: rng
      .pick(CREATIVE_FRAMES)
      .replace('{f}', rng.pick(CREATIVE_FORMS))
      .replace('{t}', rng.pick(CREATIVE_TOPICS)),
    label: 'creative_writing',
    source: 'generated-creative',
    trainOnly: true,
  }));
}

/** Plain arithmetic requests ("what is 17*23"), which exam data lacks. */
export function generateArithmetic(rng: Prng, n: number): LabeledText[] {
  const ops = ['+', '-', '*', '/', 'times', 'divided by', 'plus', 'minus', 'to the power of', '% of'];
  const frames = [
    'what is {a} {o} {b}?',
    'calculate {a} {o} {b}',
    '{a} {o} {b} = ?',
    'Compute {a} {o} {b}',
    "what's {a} {o} {b}",
    'solve {a}x {o} {b} = {c}',
    'how much is {a} {o} {b}',
  ];
  return Array.from({ length: n }, () => ({
    text: rng
      .pick(frames)
      .replace('{a}', String(rng.int(1000)))
      .replace('{o}', rng.pick(ops))
      .replace('{b}', String(rng.int(100)))
      .replace('{c}', String(rng.int(500))),
    label: 'math',
    source: 'generated-arithmetic',
    trainOnly: true,
  }));
}

export function intentSources(items: readonly LabeledText[]): DataSource[] {
  const count = (p: string): number => items.filter((i) => i.source.startsWith(p)).length;
  return [
    {
      name: 'GPTeacher codegen + roleplay',
      path: 'a_domain/gpteacher',
      rows: count('gpteacher'),
      license: 'MIT',
    },
    { name: 'HumanEval', path: 'a_domain/humaneval_openai', rows: count('humaneval'), license: 'MIT' },
    { name: 'GSM8K', path: 'a_domain/gsm8k_openai', rows: count('gsm8k'), license: 'MIT' },
    { name: 'MMLU-Pro', path: 'a_domain/mmlu_pro', rows: count('mmlu_pro'), license: 'Apache-2.0 / MIT' },
    { name: 'CLINC150', path: 'a_domain/clinc150_oos_eval', rows: count('clinc150'), license: 'CC-BY-3.0' },
    {
      name: 'MT-Bench + Vicuna questions',
      path: 'a_domain/mtbench_vicuna_questions_via_MLILAB-FedLLM',
      rows: count('mtbench') + count('vicuna'),
      license: 'Apache-2.0',
    },
    {
      name: 'summarisation templates around BIPIA emails, GPTeacher answers, GPTCache texts',
      path: 'generated',
      rows: count('summary-'),
      license: 'MIT (sources)',
    },
    {
      name: 'generated creative + arithmetic requests',
      path: 'generated',
      rows: count('generated-'),
      license: 'Apache-2.0 (this repo)',
    },
  ];
}
