import {
  banking77Pairs,
  bfclTrainPairs,
  clincPairs,
  disflPairs,
  gptCachePairs,
  metaTool,
  pawsTrainPairs,
  xquadPairs,
} from './data';
import { generatedTrainPairs } from './generated';
import type { PairSource } from './trainer';

/** Every training source with its batch weight (how often a batch is drawn from it). */
export function trainingSources(seed: number): PairSource[] {
  return [
    { name: 'gptcache', pairs: gptCachePairs().train, weight: 1 },
    { name: 'disfl-qa', pairs: disflPairs().train, weight: 1.5, contiguous: true },
    { name: 'paws-dev', pairs: pawsTrainPairs(), weight: 1 },
    { name: 'generated', pairs: generatedTrainPairs(seed), weight: 1.5 },
    { name: 'xquad', pairs: xquadPairs(seed).train, weight: 0.7 },
    { name: 'clinc150', pairs: clincPairs(seed), weight: 1.5 },
    { name: 'banking77', pairs: banking77Pairs(seed), weight: 1 },
    { name: 'metatool', pairs: metaTool(seed).train, weight: 1.5 },
    { name: 'bfcl', pairs: bfclTrainPairs(seed), weight: 1 },
  ];
}
