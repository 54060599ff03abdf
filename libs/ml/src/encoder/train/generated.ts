/**
 * Generated pairs: several phrasings of the same request (positives) and minimal edits that change
 * the answer (hard negatives): another number, another entity, swapped direction, added negation.
 * Templates are split by id: some never reach training and serve as held-out "own" pairs.
 */
import type { LabelledPair, Pair } from './data';
import { pick, rng, splitPoint } from './io';

const SLOTS: Record<string, readonly string[]> = {
  city: [
    'Paris',
    'London',
    'Tokyo',
    'Berlin',
    'Madrid',
    'Rome',
    'Chicago',
    'Boston',
    'Seattle',
    'Toronto',
    'Sydney',
    'Dubai',
    'Mumbai',
    'Lagos',
    'Lima',
    'Oslo',
    'Prague',
    'Denver',
    'Austin',
    'Miami',
    'Osaka',
    'Seoul',
    'Cairo',
    'Vienna',
    'Dublin',
  ],
  country: [
    'France',
    'Germany',
    'Japan',
    'Brazil',
    'Canada',
    'India',
    'Kenya',
    'Mexico',
    'Norway',
    'Italy',
    'Spain',
    'Egypt',
    'Chile',
    'Poland',
    'Vietnam',
    'Australia',
  ],
  person: [
    'Barack Obama',
    'Marie Curie',
    'Taylor Swift',
    'Elon Musk',
    'Serena Williams',
    'Albert Einstein',
    'Ada Lovelace',
    'Lionel Messi',
    'Frida Kahlo',
    'Nelson Mandela',
    'Isaac Newton',
    'Angela Merkel',
  ],
  company: [
    'Apple',
    'Microsoft',
    'Toyota',
    'Netflix',
    'Amazon',
    'Google',
    'Samsung',
    'Nike',
    'Tesla',
    'Spotify',
    'Airbnb',
    'Siemens',
    'Nvidia',
    'Adobe',
  ],
  lang: [
    'French',
    'German',
    'Spanish',
    'Japanese',
    'Italian',
    'Portuguese',
    'Korean',
    'Dutch',
    'Swedish',
    'Turkish',
    'Polish',
    'Greek',
  ],
  food: [
    'rice',
    'an avocado',
    'a banana',
    'oatmeal',
    'a bagel',
    'salmon',
    'chicken breast',
    'an apple',
    'broccoli',
    'pasta',
    'tofu',
    'almonds',
  ],
  cur: ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'INR', 'MXN', 'SEK'],
  app: ['Gmail', 'Slack', 'Zoom', 'Dropbox', 'GitHub', 'Outlook', 'Instagram', 'Discord', 'Trello', 'Notion'],
  os: ['Windows', 'macOS', 'Ubuntu', 'Debian', 'Fedora', 'Android', 'iOS'],
  pkg: ['Docker', 'Node.js', 'Python 3', 'PostgreSQL', 'Redis', 'nginx', 'Git', 'Java 17', 'Rust', 'Go'],
  day: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  month: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  time: ['6 am', '7:30 am', '9 am', 'noon', '3 pm', '5:45 pm', '8 pm', '10 pm', 'midnight'],
  topic: [
    'photosynthesis',
    'inflation',
    'black holes',
    'the French Revolution',
    'machine learning',
    'climate change',
    'blockchain',
    'the immune system',
    'supply and demand',
    'quantum computing',
    'plate tectonics',
    'compound interest',
  ],
  lang2: ['Python', 'JavaScript', 'TypeScript', 'Java', 'C++', 'Go', 'Rust', 'Ruby', 'Kotlin', 'Swift'],
  task: [
    'reverse a string',
    'sort a list',
    'read a CSV file',
    'parse JSON',
    'merge two dictionaries',
    'remove duplicates from an array',
    'check if a number is prime',
    'count words in a file',
    'send an HTTP request',
    'connect to a database',
  ],
  unit: [
    'miles',
    'kilometers',
    'pounds',
    'kilograms',
    'feet',
    'meters',
    'gallons',
    'liters',
    'ounces',
    'grams',
  ],
};

const NUM = { kind: 'num' } as const;
type Slot = string | typeof NUM;

interface Template {
  readonly id: string;
  /** Slot of each `{0}`, `{1}`… placeholder. */
  readonly slots: readonly Slot[];
  /** Phrasings of the same request. */
  readonly forms: readonly string[];
  /** Whether swapping `{0}` and `{1}` changes the meaning (directional). */
  readonly directional?: boolean;
  /** A phrasing with the opposite meaning (negation), using the same slots. */
  readonly negated?: string;
}

const TEMPLATES: readonly Template[] = [
  {
    id: 'weather',
    slots: ['city'],
    forms: [
      'What is the weather in {0} today?',
      "How's the weather in {0} right now?",
      "Tell me today's weather forecast for {0}.",
      'Is it going to rain in {0} today?',
    ],
  },
  {
    id: 'flight',
    slots: ['city', 'city'],
    directional: true,
    forms: [
      'Find me a flight from {0} to {1}.',
      'Book a flight from {0} to {1}.',
      'I need plane tickets from {0} to {1}.',
      'Search flights {0} to {1}.',
    ],
  },
  {
    id: 'distance',
    slots: ['city', 'city'],
    forms: [
      'How far is {0} from {1}?',
      'What is the distance between {0} and {1}?',
      'How many kilometers separate {0} and {1}?',
    ],
  },
  {
    id: 'convert-cur',
    slots: [NUM, 'cur', 'cur'],
    directional: true,
    forms: [
      'Convert {0} {1} to {2}.',
      'How much is {0} {1} in {2}?',
      'What is {0} {1} worth in {2}?',
      'Exchange {0} {1} into {2}.',
    ],
  },
  {
    id: 'capital',
    slots: ['country'],
    forms: [
      'What is the capital of {0}?',
      'Which city is the capital of {0}?',
      "Tell me {0}'s capital city.",
      'Name the capital of {0}.',
    ],
  },
  {
    id: 'age',
    slots: ['person'],
    forms: ['How old is {0}?', 'What is the age of {0}?', 'When was {0} born?'],
  },
  {
    id: 'ceo',
    slots: ['company'],
    forms: [
      'Who is the CEO of {0}?',
      'Who runs {0}?',
      'Who is the chief executive of {0}?',
      'Name the current CEO of {0}.',
    ],
  },
  {
    id: 'stock',
    slots: ['company'],
    forms: [
      "What is {0}'s stock price?",
      'How much is a share of {0} worth today?',
      'Show me the current share price of {0}.',
    ],
  },
  {
    id: 'translate',
    slots: ['lang', 'lang'],
    directional: true,
    forms: [
      'Translate this sentence from {0} to {1}.',
      'Please translate the following text from {0} into {1}.',
      'Can you turn this {0} text into {1}?',
    ],
  },
  {
    id: 'calories',
    slots: ['food'],
    forms: [
      'How many calories are in {0}?',
      'What is the calorie count of {0}?',
      'How much energy does {0} have in calories?',
    ],
  },
  {
    id: 'reset-pw',
    slots: ['app'],
    negated: 'I do not want to reset my {0} password.',
    forms: [
      'How do I reset my {0} password?',
      'I forgot my {0} password, how can I change it?',
      'Steps to recover my {0} password.',
      'Help me reset the password for {0}.',
    ],
  },
  {
    id: 'install',
    slots: ['pkg', 'os'],
    forms: [
      'How do I install {0} on {1}?',
      'What are the steps to set up {0} on {1}?',
      'Installing {0} on {1}: how?',
      'Guide to installing {0} on {1}.',
    ],
  },
  {
    id: 'alarm',
    slots: ['time'],
    forms: ['Set an alarm for {0}.', 'Wake me up at {0}.', 'Please create an alarm at {0}.'],
  },
  {
    id: 'meeting',
    slots: ['day', 'time'],
    negated: 'Cancel the meeting on {0} at {1}.',
    forms: [
      'Schedule a meeting on {0} at {1}.',
      'Book a meeting for {0} at {1}.',
      'Put a meeting in my calendar on {0} at {1}.',
    ],
  },
  {
    id: 'explain',
    slots: ['topic'],
    forms: [
      'Explain {0} in simple terms.',
      'Can you explain {0} to me like I am five?',
      'What is {0}? Give me a simple explanation.',
      'Help me understand {0}.',
    ],
  },
  {
    id: 'code',
    slots: ['task', 'lang2'],
    forms: [
      'How do I {0} in {1}?',
      'Write {1} code to {0}.',
      'What is the best way to {0} using {1}?',
      'Show me how to {0} in {1}.',
    ],
  },
  {
    id: 'math-mul',
    slots: [NUM, NUM],
    forms: [
      'What is {0} times {1}?',
      'Multiply {0} by {1}.',
      'Calculate {0} multiplied by {1}.',
      'What do you get when you multiply {0} and {1}?',
    ],
  },
  {
    id: 'math-sub',
    slots: [NUM, NUM],
    directional: true,
    forms: ['What is {0} minus {1}?', 'Subtract {1} from {0}.', 'Calculate {0} - {1}.'],
  },
  {
    id: 'unit-conv',
    slots: [NUM, 'unit', 'unit'],
    directional: true,
    forms: ['Convert {0} {1} to {2}.', 'How many {2} are in {0} {1}?', 'What is {0} {1} in {2}?'],
  },
  {
    id: 'population',
    slots: ['country'],
    forms: ['What is the population of {0}?', 'How many people live in {0}?', 'How populous is {0}?'],
  },
  {
    id: 'visa',
    slots: ['country', 'country'],
    directional: true,
    forms: [
      'Do citizens of {0} need a visa to visit {1}?',
      'Is a visa required to travel from {0} to {1}?',
      'Visa requirements for {0} citizens going to {1}.',
    ],
  },
  {
    id: 'time-in',
    slots: ['city'],
    forms: ['What time is it in {0}?', 'Current local time in {0}?', 'Tell me the time in {0} right now.'],
  },
  {
    id: 'hotel',
    slots: ['city', NUM],
    forms: [
      'Find a hotel in {0} for {1} nights.',
      'Book me a hotel room in {0} for {1} nights.',
      'I need accommodation in {0} for {1} nights.',
    ],
  },
  {
    id: 'birthday',
    slots: ['month', NUM],
    forms: [
      'Remind me about the birthday party on {0} {1}.',
      'Set a reminder for the birthday on {0} {1}.',
      'Create a birthday reminder for {0} {1}.',
    ],
  },
  {
    id: 'recipe',
    slots: ['food'],
    negated: 'Give me a recipe without {0}.',
    forms: ['Give me a recipe with {0}.', 'What can I cook with {0}?', 'Suggest a dish that uses {0}.'],
  },
  {
    id: 'compare',
    slots: ['lang2', 'lang2'],
    forms: [
      'Compare {0} and {1} for backend development.',
      'What are the differences between {0} and {1}?',
      '{0} vs {1}: which is better for a backend?',
    ],
  },
  {
    id: 'transfer',
    slots: [NUM, 'person'],
    forms: ['Send {0} dollars to {1}.', 'Transfer ${0} to {1}.', 'Pay {1} {0} dollars.'],
  },
  {
    id: 'biography',
    slots: ['person'],
    forms: [
      'Tell me about {0}.',
      'Who is {0}?',
      'Give me a short biography of {0}.',
      'What is {0} known for?',
    ],
  },
  {
    id: 'delete-account',
    slots: ['app'],
    negated: 'I want to keep my {0} account, do not delete it.',
    forms: [
      'How do I delete my {0} account?',
      'I want to permanently remove my {0} account.',
      'Steps to close my {0} account.',
    ],
  },
  {
    id: 'train',
    slots: ['city', 'city'],
    directional: true,
    forms: [
      'When is the next train from {0} to {1}?',
      'Train times from {0} to {1}.',
      'Show the next departures {0} to {1} by train.',
    ],
  },
];

function fill(form: string, values: readonly string[]): string {
  return form.replace(/\{(\d)\}/g, (_, i: string) => values[Number(i)] ?? '');
}

function drawValues(t: Template, rand: () => number): string[] {
  const values: string[] = [];
  for (const s of t.slots) {
    let v: string;
    do
      v =
        typeof s !== 'string'
          ? String(Math.floor(rand() * 200) + 2)
          : pick(SLOTS[s] as readonly string[], rand);
    while (values.includes(v));
    values.push(v);
  }
  return values;
}

/** One positive pair and one hard negative built from a template. */
function sample(t: Template, rand: () => number): { a: string; b: string; neg: string; kind: string } {
  const values = drawValues(t, rand);
  const fa = pick(t.forms, rand);
  let fb = pick(t.forms, rand);
  if (fb === fa && t.forms.length > 1) fb = t.forms[(t.forms.indexOf(fa) + 1) % t.forms.length] as string;
  const a = fill(fa, values);
  const b = fill(fb, values);
  const r = rand();
  if (t.directional && r < 0.4) {
    const swapped = [...values];
    swapped[t.slots.length - 2] = values[t.slots.length - 1] as string;
    swapped[t.slots.length - 1] = values[t.slots.length - 2] as string;
    return { a, b, neg: fill(fb, swapped), kind: 'direction' };
  }
  if (t.negated && r < 0.6) return { a, b, neg: fill(t.negated, values), kind: 'negation' };
  const changed = [...values];
  const k = Math.floor(rand() * t.slots.length);
  const fresh = drawValues(t, rand)[k] as string;
  changed[k] = fresh === values[k] ? `${fresh}0` : fresh;
  return { a, b, neg: fill(fb, changed), kind: t.slots[k] === NUM ? 'number' : 'entity' };
}

function isHeldOut(t: Template): boolean {
  return splitPoint(t.id, 'generated-template') < 0.25;
}

export function generatedTrainPairs(seed: number, perTemplate = 120): Pair[] {
  const rand = rng(seed);
  const pairs: Pair[] = [];
  for (const t of TEMPLATES) {
    if (isHeldOut(t)) continue;
    for (let i = 0; i < perTemplate; i++) {
      const s = sample(t, rand);
      pairs.push({ a: s.a, b: s.b, neg: s.neg, group: t.id });
    }
  }
  return pairs;
}

/** Held-out templates: a positive and a minimal-edit negative per draw. */
export function generatedTestPairs(seed: number, perTemplate = 30): LabelledPair[] {
  const rand = rng(seed + 1);
  const out: LabelledPair[] = [];
  for (const t of TEMPLATES) {
    if (!isHeldOut(t)) continue;
    for (let i = 0; i < perTemplate; i++) {
      const s = sample(t, rand);
      out.push({ a: s.a, b: s.b, label: 1, source: 'generated' });
      out.push({ a: s.a, b: s.neg, label: 0, source: `generated-${s.kind}` });
    }
  }
  return out;
}
