import { classificationReport, recallAtFpr, rocAuc } from '../../src/eval/metrics';

describe('metrics', () => {
  it('computes accuracy, macro-F1, per-class P/R and the confusion matrix', () => {
    const r = classificationReport(['a', 'b'], [0, 0, 1, 1], [0, 1, 1, 1]);
    expect(r.accuracy).toBe(0.75);
    expect(r.confusion).toEqual([
      [1, 1],
      [0, 2],
    ]);
    expect(r.perClass[0]).toMatchObject({ precision: 1, recall: 0.5, support: 2 });
    expect(r.perClass[1]!.precision).toBeCloseTo(2 / 3);
    expect(r.macroF1).toBeCloseTo((2 / 3 + 0.8) / 2);
  });

  it('computes ROC AUC with ties and recall at a false-positive budget', () => {
    expect(rocAuc([true, true, false, false], [0.9, 0.8, 0.3, 0.1])).toBe(1);
    expect(rocAuc([true, false], [0.5, 0.5])).toBe(0.5);
    const positive = [true, true, true, false, false, false, false];
    const scores = [0.9, 0.7, 0.2, 0.8, 0.3, 0.1, 0.05];
    // No false positive allowed: threshold at the top negative (0.8) → only 0.9 is caught.
    expect(recallAtFpr(positive, scores, 0)).toMatchObject({ recall: 1 / 3, fpr: 0 });
    expect(recallAtFpr(positive, scores, 0.25)).toMatchObject({ recall: 2 / 3, fpr: 0.25 });
  });
});
