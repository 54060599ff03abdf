import { join } from 'node:path';
import type { TextEmbedder } from '../src/encoder/category-matcher';
import { SentenceEncoder } from '../src/encoder/sentence-encoder';
import { ToolRanker } from '../src/tool-ranking/tool-ranker';
import { splitIdentifier, toolText } from '../src/tool-ranking/tool-text';
import type { OpenAiTool } from '../src/tool-ranking/tool-text';

const MODEL_DIR = join(__dirname, '..', '..', '..', 'models', 'encoder');

const tool = (name: string, description: string, params: Record<string, string> = {}): OpenAiTool => ({
  type: 'function',
  function: {
    name,
    description,
    parameters: {
      type: 'object',
      properties: Object.fromEntries(
        Object.entries(params).map(([k, d]) => [k, { type: 'string', description: d }]),
      ),
    },
  },
});

const TOOLS: OpenAiTool[] = [
  tool('getCurrentWeather', 'Get the weather for a city.', { city: 'City name' }),
  tool('send_slack_message', 'Post a message to a Slack channel.', {
    channel: 'Channel',
    text: 'Message text',
  }),
  tool('search_recipes', 'Find cooking recipes by ingredient.', { ingredient: 'Main ingredient' }),
  tool('create_invoice', 'Create a customer invoice for an amount.', {
    customer_id: 'Customer',
    amount: 'Total due',
  }),
];

/** Counts how many texts reach the real encoder (to see the tool cache work). */
class CountingEmbedder implements TextEmbedder {
  texts = 0;
  constructor(private readonly inner: TextEmbedder) {}
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.texts += texts.length;
    return this.inner.embed(texts);
  }
}

let encoder: SentenceEncoder;
beforeAll(async () => {
  encoder = await SentenceEncoder.load(MODEL_DIR);
});
afterAll(async () => {
  await encoder.close();
});

describe('tool text', () => {
  it('splits camel, snake and dotted names', () => {
    expect(splitIdentifier('getCurrentWeather')).toBe('get current weather');
    expect(splitIdentifier('send_slack_message')).toBe('send slack message');
    expect(splitIdentifier('ChaDri.change_drink')).toBe('cha dri change drink');
    expect(splitIdentifier('parseHTTPResponse')).toBe('parse http response');
  });
  it('includes description and parameter names/descriptions', () => {
    const t = toolText(TOOLS[3]!.function);
    expect(t).toContain('create invoice.');
    expect(t).toContain('customer id: Customer');
    expect(t).toContain('amount: Total due');
  });
});

describe('ToolRanker', () => {
  it('ranks the relevant tool first', async () => {
    const ranker = new ToolRanker(encoder);
    const cases: Array<[string, string]> = [
      ['is it raining in Oslo right now?', 'getCurrentWeather'],
      ['send a message to the #general channel saying the build is fixed', 'send_slack_message'],
      ['what can I cook with chickpeas', 'search_recipes'],
      ['bill customer 4411 for 250 euros', 'create_invoice'],
    ];
    for (const [q, want] of cases) {
      const ranking = await ranker.rank(q, TOOLS);
      expect(ranking[0]?.name).toBe(want);
      expect(ranking).toHaveLength(TOOLS.length);
      expect(ranking.map((r) => r.score)).toEqual([...ranking.map((r) => r.score)].sort((a, b) => b - a));
    }
  });

  it('embeds each tool once (cache by hash) and only the query afterwards', async () => {
    const counting = new CountingEmbedder(encoder);
    const ranker = new ToolRanker(counting);
    await ranker.rank('weather in Rome', TOOLS);
    expect(counting.texts).toBe(TOOLS.length + 1);
    await ranker.rank('weather in Lima', TOOLS);
    expect(counting.texts).toBe(TOOLS.length + 2);
    expect(ranker.cachedTools).toBe(TOOLS.length);
  });

  it('selects top_k above the threshold', async () => {
    const ranker = new ToolRanker(encoder);
    const sel = await ranker.select('is it raining in Oslo right now?', TOOLS, { topK: 2, threshold: -1 });
    expect(sel.selected).toHaveLength(2);
    expect(sel.selected[0]).toBe('getCurrentWeather');
    const none = await ranker.select('is it raining in Oslo right now?', TOOLS, { topK: 2, threshold: 1.01 });
    expect(none.selected).toEqual([]);
  });

  it('rejects malformed tool definitions with a message naming the tool', async () => {
    const ranker = new ToolRanker(encoder);
    await expect(ranker.rank('x', [{ type: 'function', function: { name: '' } }])).rejects.toThrow(
      'tools[0].function.name',
    );
    await expect(ranker.rank('x', [{ type: 'retrieval' } as unknown as OpenAiTool])).rejects.toThrow(
      'tools[0]',
    );
    await expect(ranker.select('x', TOOLS, { topK: 0, threshold: 0 })).rejects.toThrow('topK');
  });
});
