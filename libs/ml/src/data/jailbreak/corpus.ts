// The jailbreak corpus: dataset examples + seeded generated attacks and look-alikes, de-duplicated,
// with conflicting labels dropped, and split three ways (train / valid / test) by a hash of each
// example's group. Validation picks the threshold; test is only reported.
import { dedupKey } from '../../train/split';
import { fnv1a } from '../../text';
import { BENIGN_FAMILIES } from './gen-benign';
import { DIRECT_FAMILIES } from './gen-direct';
import { generateFamily } from './gen-family';
import { generateIndirect } from './gen-indirect';
import { generateMultilingual } from './gen-multilingual';
import { harmfulGoals, loadSources } from './sources';
import type { JbExample, JbSplit } from './types';

export const SPLIT_SALT = 'jailbreak-v1';
export const VALID_FRACTION = 0.15;
export const TEST_FRACTION = 0.15;
/**
 * Generated variants of one sentence shape are near-duplicates; on the evaluation sides keep at
 * most this many per shape, so one held-out shape does not stand in for a hundred texts.
 */
export const EVAL_GENERATED_GROUP_CAP = 12;

export function splitOfGroup(group: string): JbSplit {
  const u = fnv1a(`${SPLIT_SALT}\u0000${group}`) / 4294967296;
  if (u < TEST_FRACTION) return 'test';
  if (u < TEST_FRACTION + VALID_FRACTION) return 'valid';
  return 'train';
}

export interface SplitExample extends JbExample {
  split: JbSplit;
}

export interface CorpusStats {
  bySplit: Record<JbSplit, { benign: number; jailbreak: number }>;
  bySource: Record<string, { benign: number; jailbreak: number }>;
  conflictsDropped: number;
  duplicatesDropped: number;
}

export function generated(seed: string): JbExample[] {
  const ctx = { harmful: harmfulGoals() };
  return [
    ...DIRECT_FAMILIES.flatMap((f) => generateFamily(f, ctx, seed)),
    ...BENIGN_FAMILIES.flatMap((f) => generateFamily(f, ctx, seed)),
    ...generateIndirect(seed, 2400, 2400),
    ...generateMultilingual(seed, 1400, 900),
  ];
}

/**
 * `group` (default): split by template / skeleton / community / goal, the strict held-out test.
 * `text`: split by the normalised text alone (the minimum; near-duplicate template
 * variants then straddle the split), kept for comparison with baselines measured that way.
 */
export type SplitMode = 'group' | 'text';

/** Builds the whole labelled corpus, deterministically for a given seed. */
export function buildCorpus(
  seed = 'jailbreak',
  mode: SplitMode = 'group',
): { examples: SplitExample[]; stats: CorpusStats } {
  const src = loadSources();
  const all = [...src.attacks, ...src.benign, ...generated(seed)].filter((e) => e.text.trim().length > 0);
  const labelsByKey = new Map<string, Set<string>>();
  for (const e of all) {
    const k = dedupKey(e.text);
    if (!labelsByKey.has(k)) labelsByKey.set(k, new Set());
    labelsByKey.get(k)?.add(e.label);
  }
  const seen = new Set<string>();
  const examples: SplitExample[] = [];
  let conflictsDropped = 0;
  let duplicatesDropped = 0;
  const perEvalGroup = new Map<string, number>();
  for (const e of all) {
    const k = dedupKey(e.text);
    if (k.length === 0) continue;
    if ((labelsByKey.get(k)?.size ?? 0) > 1) {
      conflictsDropped++;
      continue;
    }
    if (seen.has(k)) {
      duplicatesDropped++;
      continue;
    }
    seen.add(k);
    const group = mode === 'text' || !e.group ? `text:${k}` : e.group;
    const split = splitOfGroup(group);
    if (mode === 'group' && split !== 'train' && e.source.startsWith('gen:')) {
      const n = perEvalGroup.get(group) ?? 0;
      if (n >= EVAL_GENERATED_GROUP_CAP) continue;
      perEvalGroup.set(group, n + 1);
    }
    examples.push({ ...e, group, split });
  }
  const bySplit = {
    train: { benign: 0, jailbreak: 0 },
    valid: { benign: 0, jailbreak: 0 },
    test: { benign: 0, jailbreak: 0 },
  };
  const bySource: CorpusStats['bySource'] = {};
  for (const e of examples) {
    bySplit[e.split][e.label]++;
    const s = (bySource[e.source] ??= { benign: 0, jailbreak: 0 });
    s[e.label]++;
  }
  return { examples, stats: { bySplit, bySource, conflictsDropped, duplicatesDropped } };
}
