import { join } from 'node:path';
import type { TextEmbedder } from '../src/encoder/category-matcher';
import { SentenceEncoder } from '../src/encoder/sentence-encoder';
import {
  contentWords,
  lexicalIndex,
  lexicalScore,
  queryTerms,
  stem,
  wordIdf,
} from '../src/tool-ranking/lexical';
import {
  LEXICAL_WEIGHT,
  ToolRanker,
  blendToolScore,
  calibrateToolThreshold,
  toolRelevance,
} from '../src/tool-ranking/tool-ranker';
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

describe('lexical score', () => {
  it('keeps content words, drops request filler, stems plurals and -ing', () => {
    expect(contentWords('Can you please help me find the getWeatherForecasts?')).toEqual([
      'weather',
      'forecasts',
    ]);
    expect(stem('forecasts')).toBe('forecast');
    expect(stem('forecasting')).toBe('forecast');
    expect(stem('companies')).toBe('company');
    expect(stem('address')).toBe('address');
  });
  it('weighs rare words above frequent ones', () => {
    expect(wordIdf('invoice')).toBeGreaterThan(wordIdf('time'));
    expect(wordIdf('zzqx')).toBeGreaterThanOrEqual(wordIdf('invoice'));
  });
  it('is the IDF share of query words found, name words counting double, capped at 1', () => {
    const index = lexicalIndex(TOOLS[3]!.function); // create_invoice: "Create a customer invoice for an amount."
    expect(index.get('invoice')).toBe(2);
    expect(index.get('customer')).toBe(1); // description and parameter name, not the tool name
    expect(lexicalScore(queryTerms('invoice'), index)).toBe(1);
    expect(lexicalScore(queryTerms('customer'), index)).toBe(1);
    expect(lexicalScore(queryTerms('weather in Oslo'), index)).toBe(0);
    expect(lexicalScore(queryTerms('can you please'), index)).toBe(0); // no content words
    // Half the query found: in the description it counts once, in the name twice.
    const [zebra, customer, invoice] = ['zebra', 'customer', 'invoice'].map((w) => wordIdf(w)) as number[];
    expect(lexicalScore(queryTerms('customer zebra'), index)).toBeCloseTo(customer / (customer + zebra));
    expect(lexicalScore(queryTerms('invoice zebra'), index)).toBeCloseTo(
      Math.min(1, (2 * invoice) / (invoice + zebra)),
    );
  });
  it('blends with the cosine at a fixed weight, independent of the other tools', () => {
    expect(blendToolScore(0.6, 0.2)).toBeCloseTo((1 - LEXICAL_WEIGHT) * 0.6 + LEXICAL_WEIGHT * 0.2);
    const fn = TOOLS[0]!.function;
    expect(toolRelevance('current weather', fn, 0.4)).toBeCloseTo(blendToolScore(0.4, 1));
    expect(toolRelevance('Oslo', fn, 0.4)).toBeCloseTo(blendToolScore(0.4, 0));
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

  it('scores from a query vector the caller already has, as rank() does', async () => {
    const ranker = new ToolRanker(encoder);
    const q = 'bill customer 4411 for 250 euros';
    const [v] = await encoder.embed([q]);
    const scores = await ranker.scoresFor(q, v!, TOOLS);
    const ranking = await ranker.rank(q, TOOLS);
    for (const r of ranking) expect(scores[r.index]).toBeCloseTo(r.score, 6);
    // A tool's score does not depend on which other tools come with it.
    const alone = await ranker.scoresFor(q, v!, [TOOLS[3]!]);
    expect(alone[0]).toBeCloseTo(scores[3]!, 6);
  });

  it('ranks a tool whose name the query repeats above a merely related one', async () => {
    const ranker = new ToolRanker(encoder);
    const tools = [
      tool('lookup_tax_rate', 'Sales tax rate for a U.S. address.', { address: 'Street address' }),
      tool('currency_converter', 'Convert an amount between currencies.', {
        amount: 'Amount',
        to: 'Target currency',
      }),
    ];
    const ranking = await ranker.rank('what is the sales tax rate in Denver', tools);
    expect(ranking[0]?.name).toBe('lookup_tax_rate');
  });

  it('calibrates a threshold on the blended score that most right tools clear', async () => {
    const pairs = [
      { query: 'is it raining in Oslo right now?', tool: TOOLS[0]!.function },
      { query: 'post "deploy done" to #ops', tool: TOOLS[1]!.function },
      { query: 'recipes with chickpeas', tool: TOOLS[2]!.function },
      { query: 'invoice customer 7 for 90 dollars', tool: TOOLS[3]!.function },
    ];
    const threshold = await calibrateToolThreshold(encoder, pairs, 0);
    const ranker = new ToolRanker(encoder);
    for (const p of pairs) {
      const sel = await ranker.select(p.query, TOOLS, { topK: 4, threshold });
      expect(sel.selected).toContain(p.tool.name);
    }
    await expect(calibrateToolThreshold(encoder, [])).rejects.toThrow('at least one pair');
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
