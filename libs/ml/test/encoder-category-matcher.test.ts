import { join } from 'node:path';
import { EmbeddingCategoryMatcher } from '../src/encoder/category-matcher';
import { SentenceEncoder } from '../src/encoder/sentence-encoder';

const MODEL_DIR = join(__dirname, '..', '..', '..', 'models', 'encoder');

let encoder: SentenceEncoder;
beforeAll(async () => {
  encoder = await SentenceEncoder.load(MODEL_DIR);
});
afterAll(async () => {
  await encoder.close();
});

const CATEGORIES = [
  {
    name: 'legal-contracts',
    examples: [
      'review this NDA for risky clauses',
      'draft a non-compete agreement',
      'what does the indemnification clause in my contract mean',
      'is this lease agreement enforceable',
      'summarise the termination terms of this contract',
    ],
    keywords: ['nda', 'contract'],
  },
  {
    name: 'cooking',
    examples: [
      'how long do I bake salmon',
      'give me a vegan lasagna recipe',
      'what can I cook with leftover rice',
      'how do I make pizza dough',
      'substitute for eggs in baking',
    ],
  },
  {
    name: 'travel',
    // Like a user would: a few examples per sub-topic (top-k scoring averages the 3 nearest).
    examples: [
      'find me a cheap flight to Rome',
      'book a flight to Berlin for Friday',
      'are there direct flights from Boston to Denver',
      'do I need a visa for Japan',
      'best hotels near the Eiffel Tower',
      'what should I pack for Iceland',
      'book a train from Paris to Lyon',
    ],
  },
];

describe('EmbeddingCategoryMatcher', () => {
  it('matches in-scope requests and rejects out-of-scope ones at the shipped threshold', async () => {
    const m = await EmbeddingCategoryMatcher.create(encoder, CATEGORIES, encoder.thresholds.category);
    const [a, b, c, d] = await m.match([
      'review the liability clause of my contract',
      'how do I cook quinoa',
      'I need a flight to Madrid',
      'what is the derivative of x squared',
    ]);
    expect(a).toMatchObject({ matched: true, label: 'legal-contracts' });
    expect(b).toMatchObject({ matched: true, label: 'cooking' });
    expect(c).toMatchObject({ matched: true, label: 'travel' });
    expect(d?.matched).toBe(false);
    if (d && !d.matched) expect(d.nearest?.label).toBeDefined();
    expect(Object.keys(a!.scores).sort()).toEqual(['cooking', 'legal-contracts', 'travel']);
  });

  it('adds the keyword bonus', async () => {
    const base = await EmbeddingCategoryMatcher.create(encoder, CATEGORIES, {
      threshold: 2,
      keywordBonus: 0,
    });
    const boosted = await EmbeddingCategoryMatcher.create(encoder, CATEGORIES, {
      threshold: 2,
      keywordBonus: 0.25,
    });
    const [x] = await base.match(['please look at this NDA']);
    const [y] = await boosted.match(['please look at this NDA']);
    expect(y!.scores['legal-contracts']! - x!.scores['legal-contracts']!).toBeCloseTo(0.25, 5);
    expect(y!.scores['cooking']).toBeCloseTo(x!.scores['cooking']!, 6);
  });

  it('supports every scoring mode', async () => {
    for (const scoring of ['max', 'topk', 'centroid'] as const) {
      const m = await EmbeddingCategoryMatcher.create(encoder, CATEGORIES, { threshold: 0, scoring });
      const [r] = await m.match(['what can I bake with bananas']);
      expect(r).toMatchObject({ matched: true, label: 'cooking' });
    }
  });

  it('rejects bad definitions', async () => {
    await expect(
      EmbeddingCategoryMatcher.create(encoder, [CATEGORIES[0]!, CATEGORIES[0]!], { threshold: 0.5 }),
    ).rejects.toThrow('defined twice');
    await expect(
      EmbeddingCategoryMatcher.create(encoder, [{ name: 'empty', examples: [] }], { threshold: 0.5 }),
    ).rejects.toThrow('needs at least one');
    await expect(
      EmbeddingCategoryMatcher.create(encoder, CATEGORIES, { threshold: Number.NaN }),
    ).rejects.toThrow('threshold');
  });
});
