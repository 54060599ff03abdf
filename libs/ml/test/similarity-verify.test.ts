import {
  extractDirections,
  extractEntities,
  extractNumbers,
  hasSelfCorrection,
  verifySimilarPair,
} from '../src/similarity/verify';

describe('verifySimilarPair', () => {
  it.each([
    [
      'How do I make my car battery last longer?',
      'What can I do to extend the life of my automobile battery?',
    ],
    ['What is the capital of France?', 'Which city is the capital of France?'],
    ["Why isn't my card working?", 'Why does my card not work?'],
    ['Convert 100 USD to EUR', 'How much is 100 USD in EUR?'],
    ['Flights from NY to LA', 'Find flights NY to LA'],
    ['What topics does NLP cover?', 'What topics does Natural Language Processing cover?'],
    [
      'What did the 18th century Huguenot group call themselves?',
      'What did the 17th century Huguenot group call themselves no wait 18th?',
    ],
    // A bare "no" after a word it cannot negate is a spoken repair, not a negation.
    ['Which river flows through Vienna?', 'Which mountain no river flows through Vienna?'],
    ['Who designed the bridge?', 'Who painted no designed the bridge?'],
    ['What year did the war end?', 'What year did the war start nope not that but end?'],
    [
      'Why is the bridge not open on Sundays?',
      'Why is the bridge open on Sundays no sorry why is the bridge not open on Sundays?',
    ],
    ['When was the castle built?', 'When was the palace erm the castle built?'],
  ])('accepts paraphrases: %s | %s', (a, b) => {
    expect(verifySimilarPair(a, b)).toEqual({ ok: true });
  });

  it.each([
    ['How many calories are in 2 eggs?', 'How many calories are in 3 eggs?', 'number-mismatch'],
    ['Install Python 3.11 on Ubuntu', 'Install Python 3.12 on Ubuntu', 'number-mismatch'],
    [
      'Who won the World Cup in two thousand eighteen?',
      'Who won the World Cup in three thousand eighteen?',
      'number-mismatch',
    ],
    ['What is the weather in Paris?', 'What is the weather in London?', 'entity-mismatch'],
    ['what is the weather in paris', 'what is the weather in london', 'entity-mismatch'],
    ['Send the report to alice@example.com', 'Send the report to bob@example.com', 'entity-mismatch'],
    ['How do I delete my Facebook account?', 'How do I delete my Instagram account?', 'entity-mismatch'],
    [
      'Is it safe to take ibuprofen with alcohol?',
      'Is it not safe to take ibuprofen with alcohol?',
      'negation-mismatch',
    ],
    ['I want to cancel my order', "I don't want to cancel my order", 'negation-mismatch'],
    ['Is there parking near the station?', 'Is there no parking near the station?', 'negation-mismatch'],
    ['A pizza with onions, please', 'A pizza with no onions, please', 'negation-mismatch'],
    [
      'Which countries have nuclear weapons?',
      'Which countries have no nuclear weapons?',
      'negation-mismatch',
    ],
    [
      'Where does the water east of the basin flow?',
      'Where does the water west of the basin flow?',
      'antonym-mismatch',
    ],
    ['What are the benefits of aspirin?', 'What are the side effects of aspirin?', 'antonym-mismatch'],
    ['Flights from NY to LA', 'Flights from LA to NY', 'direction-mismatch'],
    ['NY to LA train times', 'LA to NY train times', 'direction-mismatch'],
    ['Translate this from English to French', 'Translate this from French to English', 'direction-mismatch'],
    ['What is 52 minus 129?', 'Subtract 52 from 129.', 'direction-mismatch'],
  ])('rejects %s | %s as %s', (a, b, reason) => {
    const r = verifySimilarPair(a, b);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.detail.length).toBeGreaterThan(0);
    }
  });

  it('runs only the checks asked for', () => {
    expect(verifySimilarPair('2 eggs', '3 eggs', { checks: ['entity-mismatch'] })).toEqual({ ok: true });
  });

  it('is symmetric on the examples above', () => {
    const a = 'Flights from NY to LA';
    const b = 'Flights from LA to NY';
    expect(verifySimilarPair(b, a).ok).toBe(false);
  });
});

describe('extractors', () => {
  it('reads numbers and number words', () => {
    expect(extractNumbers('Buy 2 apples and twelve pears for $3.50, 1,000 times')).toEqual([
      '1000',
      '12',
      '2',
      '3.50',
    ]);
  });
  it('finds capitalised entities but not sentence-initial words', () => {
    const e = extractEntities('What is the population of Kenya? Tell me about Nairobi too.');
    expect([...e].sort()).toEqual(['kenya', 'nairobi']);
  });
  it('finds directions', () => {
    expect(extractDirections('a flight from Boston to Denver')).toEqual([{ from: 'boston', to: 'denver' }]);
  });
  it('detects spoken self-corrections', () => {
    expect(hasSelfCorrection('In what country is Norse found no wait Normandy?')).toBe(true);
    expect(hasSelfCorrection('In what country is Normandy located?')).toBe(false);
    expect(hasSelfCorrection('What continent no country is Kenya in?')).toBe(true);
    expect(hasSelfCorrection('There is no milk left in the fridge')).toBe(false);
    expect(hasSelfCorrection('Use tea instead of coffee')).toBe(false);
  });
});
