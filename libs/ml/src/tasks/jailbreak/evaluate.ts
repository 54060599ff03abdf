// Jailbreak metrics shared by training, `npm run eval` and the jest quality gate: ROC AUC and
// recall at ≤1% FPR on the held-out split, recall/FPR at the shipped threshold (overall and per
// attack shape), our own hand-written set, and two adversarial checks (benign padding, obfuscation).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recallAtFpr, rocAuc } from '../../eval/metrics';
import { repoRoot } from '../../train/paths';
import { Prng } from '../../train/prng';
import type { JbLabel } from '../../data/jailbreak/types';

/** Scores P(jailbreak) for many texts (a loaded model or the in-memory weights). */
export type JbScorer = (texts: readonly string[]) => Promise<number[]>;

export interface LabelledText {
  text: string;
  label: JbLabel;
  kind: string;
}

export interface RateAt {
  recall: number;
  fpr: number;
  attacks: number;
  benign: number;
}

export interface JailbreakReport {
  threshold: number;
  heldOut: {
    auc: number;
    /** Best recall with FPR ≤ 1% on this split (threshold chosen on the split itself). */
    recallAt1PctFpr: number;
    /** At the shipped threshold (chosen on validation). */
    atThreshold: RateAt;
    /** Flag rate per kind (recall for attack kinds, FPR for benign kinds). */
    byKind: Record<string, { label: JbLabel; n: number; flagged: number }>;
  };
  own: RateAt & { missed: string[]; falseAlarms: string[] };
  /** Caught attacks that stay caught after 1–3 benign sentences are appended (or prepended). */
  robustness: { tested: number; appended: number; prepended: number };
  /** Caught attacks that stay caught when spaced out / leetspeak'd (the guard also normalises). */
  obfuscation: { tested: number; spaced: number; leet: number };
}

export const OWN_EVAL_FILE = 'libs/ml/eval-data/jailbreak-own.jsonl';

export function loadOwnEval(root = repoRoot()): LabelledText[] {
  const path = join(root, OWN_EVAL_FILE);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const o = JSON.parse(l) as Partial<LabelledText>;
      if (typeof o.text !== 'string' || (o.label !== 'benign' && o.label !== 'jailbreak'))
        throw new Error(`${path}:${i + 1}: expected {"text", "label": "benign"|"jailbreak"}`);
      return { text: o.text, label: o.label, kind: o.kind ?? 'own' };
    });
}

function rateAt(items: readonly LabelledText[], scores: readonly number[], threshold: number): RateAt {
  let tp = 0;
  let fp = 0;
  let attacks = 0;
  let benign = 0;
  items.forEach((e, i) => {
    const flagged = (scores[i] as number) >= threshold;
    if (e.label === 'jailbreak') {
      attacks++;
      if (flagged) tp++;
    } else {
      benign++;
      if (flagged) fp++;
    }
  });
  return {
    recall: attacks ? tp / attacks : Number.NaN,
    fpr: benign ? fp / benign : Number.NaN,
    attacks,
    benign,
  };
}

const LEET: Record<string, string> = { a: '4', e: '3', i: '1', o: '0', s: '5', t: '7' };

/**
 * Evaluates a scorer. `padPool` holds benign sentences never used in training (held-out ordinary
 * prompts); they are what gets appended in the robustness check.
 */
export async function evaluateJailbreak(
  score: JbScorer,
  heldOut: readonly LabelledText[],
  own: readonly LabelledText[],
  padPool: readonly string[],
  threshold: number,
  seed = 7,
): Promise<JailbreakReport> {
  const s = await score(heldOut.map((e) => e.text));
  const positive = heldOut.map((e) => e.label === 'jailbreak');
  const byKind: JailbreakReport['heldOut']['byKind'] = {};
  heldOut.forEach((e, i) => {
    const k = (byKind[`${e.label}:${e.kind}`] ??= { label: e.label, n: 0, flagged: 0 });
    k.n++;
    if ((s[i] as number) >= threshold) k.flagged++;
  });
  const ownScores = await score(own.map((e) => e.text));
  const ownRate = rateAt(own, ownScores, threshold);

  // Adversarial checks on caught attacks (held-out + own), at most 600 of them.
  const rng = new Prng(seed);
  const caught = [
    ...heldOut.filter((e, i) => e.label === 'jailbreak' && (s[i] as number) >= threshold).map((e) => e.text),
    ...own
      .filter((e, i) => e.label === 'jailbreak' && (ownScores[i] as number) >= threshold)
      .map((e) => e.text),
  ];
  rng.shuffle(caught);
  const sample = caught.slice(0, 600);
  const pad = (): string => Array.from({ length: 1 + rng.int(3) }, () => rng.pick(padPool)).join(' ');
  const appended = await score(sample.map((t) => `${t} ${pad()}`));
  const prepended = await score(sample.map((t) => `${pad()} ${t}`));
  const short = sample.filter((t) => t.length < 300);
  const spaced = await score(short.map((t) => t.split('').join(' ')));
  const leet = await score(short.map((t) => t.replace(/[aeiost]/gi, (c) => LEET[c.toLowerCase()] ?? c)));
  const frac = (xs: readonly number[]): number =>
    xs.length ? xs.filter((x) => x >= threshold).length / xs.length : Number.NaN;

  return {
    threshold,
    heldOut: {
      auc: rocAuc(positive, s),
      recallAt1PctFpr: recallAtFpr(positive, s, 0.01).recall,
      atThreshold: rateAt(heldOut, s, threshold),
      byKind,
    },
    own: {
      ...ownRate,
      missed: own
        .filter((e, i) => e.label === 'jailbreak' && (ownScores[i] as number) < threshold)
        .map((e) => e.text),
      falseAlarms: own
        .filter((e, i) => e.label === 'benign' && (ownScores[i] as number) >= threshold)
        .map((e) => e.text),
    },
    robustness: { tested: sample.length, appended: frac(appended), prepended: frac(prepended) },
    obfuscation: { tested: short.length, spaced: frac(spaced), leet: frac(leet) },
  };
}

/** Threshold for a target FPR on validation scores: flag when score ≥ threshold. */
export function thresholdAtFpr(
  positive: readonly boolean[],
  scores: readonly number[],
  maxFpr: number,
): number {
  const { threshold } = recallAtFpr(positive, scores, maxFpr);
  // recallAtFpr flags `score > t`; the runtime rule is `score >= threshold`, so step just above t.
  return Math.min(1, threshold + Math.max(1e-7, Math.abs(threshold) * 1e-6));
}

const pct = (x: number): string => (Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(1)}%`);

/** Human-readable summary lines (for the CLI and EVAL.md). */
export function formatReport(r: JailbreakReport): string[] {
  const lines = [
    `threshold ${r.threshold.toFixed(4)} (chosen on validation for <= 1% FPR; flag when score >= threshold)`,
    `held-out: ROC AUC ${r.heldOut.auc.toFixed(4)}, recall@1%FPR ${pct(r.heldOut.recallAt1PctFpr)}; at threshold recall ${pct(r.heldOut.atThreshold.recall)}, FPR ${pct(r.heldOut.atThreshold.fpr)} (${r.heldOut.atThreshold.attacks} attacks, ${r.heldOut.atThreshold.benign} benign)`,
    `own hand-written set: recall ${pct(r.own.recall)} (${r.own.attacks} attacks), FPR ${pct(r.own.fpr)} (${r.own.benign} benign)`,
    `robustness (caught attacks + 1-3 benign sentences): appended ${pct(r.robustness.appended)}, prepended ${pct(r.robustness.prepended)} still caught (${r.robustness.tested} attacks)`,
    `obfuscation (no guard normalisation): spaced letters ${pct(r.obfuscation.spaced)}, leetspeak ${pct(r.obfuscation.leet)} still caught (${r.obfuscation.tested})`,
  ];
  const kinds = Object.entries(r.heldOut.byKind).sort(([a], [b]) => a.localeCompare(b));
  for (const [k, v] of kinds) {
    lines.push(
      `  ${k.padEnd(34)} n=${String(v.n).padStart(5)}  ${v.label === 'jailbreak' ? 'recall' : 'flagged'} ${pct(v.flagged / v.n)}`,
    );
  }
  return lines;
}
