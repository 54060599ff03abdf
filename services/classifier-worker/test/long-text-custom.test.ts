import { join } from 'node:path';
import { loadConfigFile } from '@sr/shared';
import { ClassifierEngine } from '../src';

/**
 * Custom categories on long prompts (the shipped config and encoder): a category matched by the
 * whole text's embedding must be supported by its sentences, so a long request that merely shares
 * generic wording with the examples is not routed to the category's model.
 */
const ROOT = join(__dirname, '../../..');

const LECTURE =
  "I am preparing a lecture for second-year students on numerical methods and I want to explain why Newton's " +
  'method converges quadratically near a simple root but can fail badly when the initial guess is poor. Could you ' +
  'walk through the derivation of the error recurrence, starting from the Taylor expansion of the function around ' +
  'the root? After that, please give two concrete examples: one smooth polynomial where the iteration converges in ' +
  'a handful of steps, and one function where it oscillates. Finally, suggest a safeguarded variant, for instance ' +
  'combining bisection with Newton steps, and explain the terms of its guarantee.';
const MEETING =
  'Please summarise the following meeting notes: we discussed the quarterly budget, hiring plans for the data team, ' +
  'the new office lease in Berlin, and the timeline for the product launch in March. Action items: Anna to draft ' +
  'the hiring plan, Tom to negotiate the lease terms, and everyone to review the launch checklist by Friday.';
const CONTRACT =
  'Please review the following contract clause and tell me whether it is enforceable. The Supplier shall indemnify ' +
  'the Customer against all losses arising from any breach of this Agreement, except where such losses result from ' +
  "the Customer's negligence. Liability under this clause is capped at the fees paid in the twelve months preceding " +
  'the claim. This Agreement is governed by the laws of England.';

describe('custom categories on long prompts', () => {
  let engine: ClassifierEngine;
  beforeAll(async () => {
    engine = await ClassifierEngine.create({
      config: loadConfigFile(join(ROOT, 'config/config.yaml')),
      baseDir: ROOT,
    });
  }, 120_000);
  afterAll(async () => engine?.close());

  it('does not match a long lecture request or meeting notes to legal-contracts', async () => {
    const [lecture, meeting] = await engine.classifyTexts([LECTURE, MEETING]);
    expect(lecture!.custom?.label).not.toBe('legal-contracts');
    expect(meeting!.custom?.label).not.toBe('legal-contracts');
  });

  it('still matches a long contract review, and short requests as before', async () => {
    const [contract, short] = await engine.classifyTexts([
      CONTRACT,
      'is this non-compete clause enforceable in my contract',
    ]);
    expect(contract!.custom?.label).toBe('legal-contracts');
    expect(short!.custom?.label).toBe('legal-contracts');
  });
});
