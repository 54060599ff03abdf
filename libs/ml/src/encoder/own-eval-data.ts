/**
 * Hand-written evaluation data that appears in no dataset and never in training: cache pairs
 * (paraphrases and near-misses) and tool-selection queries against our own tool definitions.
 */
import type { OpenAiTool } from '../tool-ranking/tool-text';
import type { LabelledPair } from './train/data';

const P = (a: string, b: string): LabelledPair => ({ a, b, label: 1, source: 'own' });
const N = (a: string, b: string): LabelledPair => ({ a, b, label: 0, source: 'own' });

export const OWN_PAIRS: readonly LabelledPair[] = [
  P(
    'How do I make my car battery last longer?',
    'What can I do to extend the life of my automobile battery?',
  ),
  P('What is the difference between a virus and bacteria?', 'How do viruses differ from bacteria?'),
  P('How can I improve my sleep?', 'What are some ways to sleep better?'),
  P('Explain how vaccines work.', 'How do vaccines work?'),
  P('What is the best way to learn a new language?', 'How should I go about learning a new language?'),
  P('Why is the sky blue?', 'What makes the sky look blue?'),
  P('How do I center a div in CSS?', 'What is the CSS to center a div?'),
  P('What are the symptoms of dehydration?', 'What are the signs that I am dehydrated?'),
  P('How do I undo my last git commit?', 'How can I revert the most recent commit in git?'),
  P('Give me tips for a job interview.', 'What advice do you have for doing well in a job interview?'),
  P('How long should I boil an egg?', 'For how many minutes do you boil an egg?'),
  P('What causes inflation?', 'Why does inflation happen?'),
  P('How do I lower my cholesterol?', 'What are ways to reduce cholesterol levels?'),
  P('Summarize the plot of Hamlet.', 'Give me a summary of the plot of Hamlet.'),
  P('What is a good name for a pet turtle?', 'Suggest some good names for a pet turtle.'),
  P('How many hours of sleep does an adult need?', 'How much sleep do adults need each night?'),
  P('How do I remove a stripped screw?', 'What is the best way to get out a stripped screw?'),
  P('Can dogs eat grapes?', 'Is it safe for dogs to eat grapes?'),
  P('How do I convert a string to an integer in Python?', 'In Python, how can I turn a string into an int?'),
  P('What is the tallest mountain in the world?', 'Which mountain is the highest on Earth?'),
  P('How do I stop my cat from scratching the sofa?', 'How can I keep my cat from scratching my couch?'),
  P('Write a haiku about autumn.', 'Compose a haiku about the fall season.'),
  P('What are the benefits of drinking water?', 'Why is drinking water good for you?'),
  P('How can I save money on groceries?', 'What are ways to spend less on groceries?'),
  N('What is the capital of Australia?', 'What is the capital of Austria?'),
  N('How do I install Python 3.11 on Ubuntu?', 'How do I install Python 3.12 on Ubuntu?'),
  N('Flights from New York to Los Angeles next Friday', 'Flights from Los Angeles to New York next Friday'),
  N('Is it safe to take ibuprofen with alcohol?', 'Is it safe to take ibuprofen without alcohol?'),
  N('How many calories are in 2 eggs?', 'How many calories are in 3 eggs?'),
  N('Who won the World Cup in 2018?', 'Who won the World Cup in 2022?'),
  N('How do I delete my Facebook account?', 'How do I delete my Instagram account?'),
  N('What is the weather in Paris tomorrow?', 'What is the weather in London tomorrow?'),
  N('How do I sort a list in Python?', 'How do I sort a list in Java?'),
  N('Convert 100 USD to EUR', 'Convert 100 EUR to USD'),
  N('What are the side effects of aspirin?', 'What are the benefits of aspirin?'),
  N('How do I increase my credit score?', 'How do I check my credit score?'),
  N('Recommend a book about World War II.', 'Recommend a movie about World War II.'),
  N('How do I reverse a linked list?', 'How do I reverse a string?'),
  N('Why do cats purr?', 'Why do cats hiss?'),
  N('What time does the Louvre open on Monday?', 'What time does the Louvre open on Sunday?'),
  N('Should I not water my cactus in winter?', 'Should I water my cactus in winter?'),
  N('Translate "good morning" into Spanish.', 'Translate "good morning" into German.'),
  N('Write a poem about the ocean.', 'Write a short story about the ocean.'),
  N('How do I make pancakes?', 'How do I make waffles?'),
  N('When did Apple release the first iPhone?', 'When did Samsung release the first Galaxy phone?'),
  N('What is 15% of 80?', 'What is 20% of 80?'),
  N('Is coffee bad for your heart?', 'Is coffee good for your heart?'),
  N('How far is the Moon from Earth?', 'How far is Mars from Earth?'),
];

const tool = (name: string, description: string, params: Record<string, string>): OpenAiTool => ({
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

export const OWN_TOOLS: readonly OpenAiTool[] = [
  tool('get_weather', 'Get the current weather and forecast for a location.', {
    location: 'City name',
    unit: 'celsius or fahrenheit',
  }),
  tool('searchFlights', 'Search for airline flights between two airports on a date.', {
    origin: 'Departure airport',
    destination: 'Arrival airport',
    date: 'Travel date',
  }),
  tool('send_email', 'Send an email message to one or more recipients.', {
    to: 'Recipient addresses',
    subject: 'Subject line',
    body: 'Message body',
  }),
  tool('create_calendar_event', 'Add an event to the user calendar.', {
    title: 'Event title',
    start_time: 'Start time',
    attendees: 'People to invite',
  }),
  tool(
    'convertCurrency',
    'Convert an amount of money from one currency to another at the current exchange rate.',
    { amount: 'Amount', from: 'Source currency', to: 'Target currency' },
  ),
  tool('get_stock_quote', 'Look up the latest share price of a publicly traded company.', {
    ticker: 'Stock symbol',
  }),
  tool('translate_text', 'Translate text into another language.', {
    text: 'Text to translate',
    target_language: 'Language to translate into',
  }),
  tool('run_sql_query', 'Run a read-only SQL query against the analytics database.', {
    query: 'SQL statement',
  }),
  tool('set_timer', 'Start a countdown timer.', { duration: 'Length of the timer' }),
  tool('play_song', 'Play a song, album or playlist on the speaker.', { song: 'Song or artist name' }),
  tool('order_food', 'Order food delivery from a restaurant.', {
    restaurant: 'Restaurant name',
    items: 'Dishes to order',
  }),
  tool('book_hotel', 'Reserve a hotel room.', {
    city: 'City',
    check_in: 'Check-in date',
    nights: 'Number of nights',
  }),
];

export const OWN_TOOL_QUERIES: ReadonlyArray<{ text: string; tool: string }> = [
  { text: 'Will I need an umbrella in Seattle this afternoon?', tool: 'get_weather' },
  { text: 'How hot is it going to be in Madrid tomorrow?', tool: 'get_weather' },
  { text: 'Find me a plane ticket from Boston to Denver on May 3rd.', tool: 'searchFlights' },
  { text: 'Are there any cheap flights to Tokyo next week?', tool: 'searchFlights' },
  { text: 'Email my manager that I will be late today.', tool: 'send_email' },
  { text: 'Write to alice@example.com and tell her the report is ready.', tool: 'send_email' },
  { text: 'Put a dentist appointment on my schedule for Tuesday at 3pm.', tool: 'create_calendar_event' },
  { text: 'Set up a meeting with the design team on Friday morning.', tool: 'create_calendar_event' },
  { text: 'How many euros do I get for 250 dollars?', tool: 'convertCurrency' },
  { text: 'What is 5000 yen in pounds?', tool: 'convertCurrency' },
  { text: 'How is Nvidia stock doing today?', tool: 'get_stock_quote' },
  { text: 'What is the share price of Microsoft right now?', tool: 'get_stock_quote' },
  { text: 'How do you say "where is the train station" in Italian?', tool: 'translate_text' },
  { text: 'Put this paragraph into French for me.', tool: 'translate_text' },
  { text: 'How many users signed up last month according to our database?', tool: 'run_sql_query' },
  { text: 'Count the orders per country in the analytics tables.', tool: 'run_sql_query' },
  { text: 'Remind me in 10 minutes to take the pasta off the stove.', tool: 'set_timer' },
  { text: 'Start a 25 minute countdown.', tool: 'set_timer' },
  { text: 'Put on some jazz.', tool: 'play_song' },
  { text: 'I want to listen to the new Taylor Swift album.', tool: 'play_song' },
  { text: 'Get me a large pepperoni pizza delivered.', tool: 'order_food' },
  { text: 'I am hungry, order sushi from the place around the corner.', tool: 'order_food' },
  { text: 'I need a place to stay in Lisbon for three nights.', tool: 'book_hotel' },
  { text: 'Reserve a room near the airport in Chicago for tonight.', tool: 'book_hotel' },
];
