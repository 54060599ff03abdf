import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TextClassifier } from './text-classifier';
import type { TextClassifierOptions } from './text-classifier';

/** One model's verdict in a combined result. */
export interface LabelScore {
  readonly label: string;
  readonly score: number;
}

/**
 * Several text classifiers (e.g. domain, intent, jailbreak) run over the same texts; results are
 * keyed by each model's task name.
 */
export class ClassifierSet {
  private constructor(readonly classifiers: ReadonlyMap<string, TextClassifier>) {}

  /** Loads the given model directories, keyed by name. */
  static async load(
    dirs: Readonly<Record<string, string>>,
    options: TextClassifierOptions = {},
  ): Promise<ClassifierSet> {
    const loaded = new Map<string, TextClassifier>();
    try {
      for (const [name, dir] of Object.entries(dirs))
        loaded.set(name, await TextClassifier.load(dir, options));
    } catch (err) {
      await Promise.all([...loaded.values()].map((c) => c.close()));
      throw err;
    }
    return new ClassifierSet(loaded);
  }

  /** Loads `<modelsRoot>/<name>` for each name whose directory has a manifest (missing ones are skipped and listed). */
  static async loadAvailable(
    modelsRoot: string,
    names: readonly string[],
    options: TextClassifierOptions = {},
  ): Promise<{ set: ClassifierSet; missing: string[] }> {
    const present = names.filter((n) => existsSync(join(modelsRoot, n, 'manifest.json')));
    const set = await ClassifierSet.load(
      Object.fromEntries(present.map((n) => [n, join(modelsRoot, n)])),
      options,
    );
    return { set, missing: names.filter((n) => !present.includes(n)) };
  }

  get names(): string[] {
    return [...this.classifiers.keys()];
  }

  /** For each text, `{ [model]: { label, score } }`. */
  async classify(texts: readonly string[]): Promise<Record<string, LabelScore>[]> {
    const out: Record<string, LabelScore>[] = texts.map(() => ({}));
    for (const [name, clf] of this.classifiers) {
      const preds = await clf.classify(texts);
      preds.forEach((p, i) => {
        (out[i] as Record<string, LabelScore>)[name] = { label: p.label, score: p.score };
      });
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.classifiers.values()].map((c) => c.close()));
  }
}
