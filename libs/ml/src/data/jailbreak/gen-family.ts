import type { Rng } from './rng';
import { rng } from './rng';
import type { JbExample, JbLabel } from './types';

export interface GenCtx {
  /** Harmful goals (AdvBench) to embed in wrappers. */
  harmful: readonly string[];
}

export type Skeleton = (r: Rng, c: GenCtx) => string;

/** A set of sentence shapes. Each shape's index is its split group (`gen:<name>:<i>`). */
export interface Family {
  name: string;
  label: JbLabel;
  kind: string;
  count: number;
  skeletons: readonly Skeleton[];
}

export function generateFamily(f: Family, ctx: GenCtx, seed: string): JbExample[] {
  const r = rng(`${seed}:${f.name}`);
  const out: JbExample[] = [];
  for (let i = 0; i < f.count; i++) {
    const idx = r.int(f.skeletons.length);
    const text = (f.skeletons[idx] as Skeleton)(r, ctx).trim();
    if (text)
      out.push({
        text,
        label: f.label,
        source: `gen:${f.name}`,
        kind: f.kind,
        group: `gen:${f.name}:${idx}`,
      });
  }
  return out;
}
