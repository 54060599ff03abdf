// Quality gate on the committed model artefacts: re-evaluates each registered model through
// onnxruntime on a fixed sample of its held-out split (plus its whole hand-written eval set) and
// fails below the targets of issue 3. Needs ../shared/datasets (or SR_DATASETS_DIR).
import { gatePassed } from '../src/eval/section';
import { EVAL_SECTIONS } from '../src/eval/sections';

const SAMPLE = 800;

describe('committed model quality', () => {
  for (const section of EVAL_SECTIONS) {
    it(`${section.name} meets its targets`, async () => {
      const result = await section.run({ sample: SAMPLE });
      const failed = result.gates
        .filter((g) => !gatePassed(g))
        .map(
          (g) =>
            `${g.name} = ${g.value.toFixed(3)} (target ${g.direction === 'min' ? '≥' : '≤'} ${g.threshold})`,
        );
      expect(result.gates.length).toBeGreaterThan(0);
      expect(failed).toEqual([]);
    }, 300_000);
  }
});
