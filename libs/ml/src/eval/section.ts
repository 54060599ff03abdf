/** One metric compared with its target (a quality gate). */
export interface Gate {
  readonly name: string;
  readonly value: number;
  readonly threshold: number;
  /** `min`: value must be ≥ threshold; `max`: ≤ threshold. */
  readonly direction: 'min' | 'max';
}

export const gatePassed = (g: Gate): boolean =>
  g.direction === 'min' ? g.value >= g.threshold : g.value <= g.threshold;

/** A row of the summary table printed by `npm run eval`. */
export interface SummaryRow {
  readonly model: string;
  readonly split: string;
  readonly n: number;
  readonly accuracy?: number;
  readonly macroF1?: number;
  /** Other headline numbers, e.g. `recall@1%FPR`, `AUC`. */
  readonly extra?: Readonly<Record<string, number>>;
}

export interface SectionResult {
  readonly rows: readonly SummaryRow[];
  readonly gates: readonly Gate[];
  /** Markdown body for models/EVAL.md (without the section heading). */
  readonly markdown: string;
}

/** An evaluation section; register it in `eval/sections.ts`. */
export interface EvalSection {
  readonly name: string;
  /** `sample` evaluates a fixed subset (the jest quality gate); undefined = everything. */
  run(options: { readonly sample?: number }): Promise<SectionResult>;
}
