import type { ChatMessage, JailbreakVerdict } from '@sr/shared';
import { scanVariants, type ScanOptions } from './normalise';
import { scanTargets, DEFAULT_SCAN_ROLES } from './targets';
import { DEFAULT_WINDOWS, planWindows, type WindowPlan } from './windows';

/** Scores texts: the probability that each is a jailbreak or prompt injection, in input order. */
export type ScoreTexts = (texts: readonly string[]) => Promise<ArrayLike<number>>;

export interface JailbreakDetectorOptions {
  /** Scores a batch of texts (the model, usually behind a micro-batcher). */
  readonly score: ScoreTexts;
  /** Default threshold: config, else the model manifest's recommended one. */
  readonly threshold: number;
  readonly roles?: readonly string[];
  /** How texts are cut into windows (default DEFAULT_WINDOWS). */
  readonly windows?: WindowPlan;
  readonly scan?: ScanOptions;
}

interface Candidate {
  readonly messageIndex: number;
  readonly via: string;
  readonly text: string;
}

/**
 * Scores every message carrying user-controlled text: each obfuscation variant of it
 * (`scanVariants`), each in overlapping word windows, all in one batch. The verdict is the
 * highest score of any window of any variant of any message.
 */
export class JailbreakDetector {
  readonly threshold: number;
  private readonly roles: readonly string[];
  private readonly windows: WindowPlan;

  constructor(private readonly options: JailbreakDetectorOptions) {
    if (!(options.threshold >= 0 && options.threshold <= 1))
      throw new RangeError(`jailbreak threshold must be in [0, 1], got ${options.threshold}`);
    this.threshold = options.threshold;
    this.roles = options.roles ?? DEFAULT_SCAN_ROLES;
    this.windows = options.windows ?? DEFAULT_WINDOWS;
  }

  /** The texts scored for a request (exposed for tests and the bench). */
  candidates(messages: readonly ChatMessage[]): Candidate[] {
    const out: Candidate[] = [];
    const seen = new Set<string>();
    for (const target of scanTargets(messages, this.roles)) {
      for (const variant of scanVariants(target.text, this.options.scan)) {
        for (const text of planWindows(variant.text, this.windows)) {
          // The same window text twice (repeated paragraphs) needs one score.
          if (seen.has(text)) continue;
          seen.add(text);
          out.push({ messageIndex: target.messageIndex, via: variant.via, text });
        }
      }
    }
    return out;
  }

  async check(messages: readonly ChatMessage[], threshold = this.threshold): Promise<JailbreakVerdict> {
    const candidates = this.candidates(messages);
    if (candidates.length === 0) return { status: 'clean', score: 0, threshold };
    const scores = await this.options.score(candidates.map((c) => c.text));
    let best = 0;
    for (let i = 1; i < candidates.length; i++) if ((scores[i] ?? 0) > (scores[best] ?? 0)) best = i;
    const score = clamp01(scores[best] ?? 0);
    const top = candidates[best]!;
    if (score < threshold) return { status: 'clean', score, threshold };
    return { status: 'detected', score, threshold, messageIndex: top.messageIndex, via: top.via };
  }
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
