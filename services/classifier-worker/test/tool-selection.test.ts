import type { ToolDefinition } from '@sr/shared';
import { selectTools } from '../src/tool-selection';

const tool = (name: string): ToolDefinition => ({ type: 'function', function: { name } });
const tools = ['a', 'b', 'c', 'd', 'e'].map(tool);
const scores = [0.1, 0.9, 0.5, 0.3, 0.05];
const cfg = { enabled: true, topK: 2, similarityThreshold: 0.2, whenNoneRelevant: 'keep' as const };

describe('selectTools', () => {
  it('keeps the top_k tools above the threshold, best first (tool_choice absent or auto)', () => {
    expect(selectTools(tools, undefined, scores, cfg)).toMatchObject({
      selected: ['b', 'c'],
      reason: 'ranked',
    });
    expect(selectTools(tools, 'auto', scores, { ...cfg, topK: 5 }).selected).toEqual(['b', 'c', 'd']);
  });

  it('never drops the tool tool_choice names', () => {
    const named = { type: 'function' as const, function: { name: 'e' } };
    expect(selectTools(tools, named, scores, cfg).selected).toEqual(['e', 'b', 'c']);
    expect(selectTools(tools, named, [0, 0, 0, 0, 0], { ...cfg, whenNoneRelevant: 'none' })).toMatchObject({
      selected: ['e'],
      reason: 'none-relevant-dropped',
    });
  });

  it('with none relevant keeps all or none per whenNoneRelevant', () => {
    const low = [0.1, 0.1, 0.1, 0.1, 0.1];
    expect(selectTools(tools, undefined, low, cfg)).toMatchObject({
      selected: ['a', 'b', 'c', 'd', 'e'],
      reason: 'none-relevant-kept',
    });
    expect(selectTools(tools, undefined, low, { ...cfg, whenNoneRelevant: 'none' })).toMatchObject({
      selected: [],
      reason: 'none-relevant-dropped',
    });
  });

  it('leaves the list alone for tool_choice none and required', () => {
    for (const choice of ['none', 'required'] as const)
      expect(selectTools(tools, choice, scores, cfg)).toMatchObject({
        selected: ['a', 'b', 'c', 'd', 'e'],
        reason: 'skipped',
      });
  });

  it('reports every tool score', () => {
    expect(selectTools(tools, undefined, scores, cfg).scores).toEqual({
      a: 0.1,
      b: 0.9,
      c: 0.5,
      d: 0.3,
      e: 0.05,
    });
  });
});
