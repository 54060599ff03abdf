import figures from '../../src/pii/data/public-figures.json';
import { publicFigureRanges } from '../../src/pii/public-entities';

// The plain form of the public-figure scan: one case-insensitive alternation of every name, tried
// at every position. publicFigureRanges must find exactly the same ranges.
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const REFERENCE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${[...figures.people]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|')})(?:['’]s)?(?![\\p{L}\\p{N}])`,
  'giu',
);
const reference = (text: string): [number, number][] =>
  [...text.matchAll(REFERENCE)].map((m) => [m.index, m.index + m[0].length]);

describe('publicFigureRanges', () => {
  it('finds the same ranges as the 344-name alternation', () => {
    const variants = figures.people.flatMap((n) => [
      n,
      n.toUpperCase(),
      n.toLowerCase(),
      `x${n}`,
      `${n}x`,
      `${n}'s`,
      `${n}’s.`,
      `${n}'sx`,
      `é${n}`,
      `${n}é`,
      n.replace(/s/g, 'ſ'),
      n.replace(/k/g, '\u212a'),
      `(${n})${n}`,
    ]);
    const texts = [
      ...variants,
      variants.join(' '),
      variants.join(''),
      variants.join('\n'),
      "Explain why Newton's method converges; compare Leibniz and Gauss. Napoleon Bonaparte's army.",
      'Martin Luther King Jr. and Martin Luther spoke; Erwin Schrödinger / Erwin Schrodinger',
      'ab',
      '',
    ];
    for (const text of texts) expect(publicFigureRanges(text)).toEqual(reference(text));
  });
});
