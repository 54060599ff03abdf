import { parseConfig } from '@sr/shared';
import { EndpointPool, hostPort } from '../../src/upstream/pool';

const config = parseConfig(
  `
defaultModel: m
models:
  - name: m
    endpoints:
      - { url: "http://10.0.0.1:8000/v1", weight: 3 }
      - { url: "http://10.0.0.2:8000/v1", weight: 1 }
`,
  't.yaml',
  {},
);
const model = config.models[0]!;

test('weighted random split follows the weights', () => {
  let i = 0;
  const pool = new EndpointPool({
    ejectAfterFailures: 2,
    ejectForMs: 1000,
    random: () => ((i++ % 100) + 0.5) / 100,
  });
  const counts = new Map<string, number>();
  for (let n = 0; n < 400; n++) {
    const e = pool.pick(model)!;
    counts.set(e.hostPort, (counts.get(e.hostPort) ?? 0) + 1);
  }
  expect(counts.get('10.0.0.1:8000')).toBe(300);
  expect(counts.get('10.0.0.2:8000')).toBe(100);
});

test('ejects after consecutive failures, brings the endpoint back after ejectForMs', () => {
  let now = 0;
  const pool = new EndpointPool({ ejectAfterFailures: 2, ejectForMs: 1000, random: () => 0, now: () => now });
  const first = 'http://10.0.0.1:8000/v1';
  expect(pool.recordFailure(first)).toBe(false);
  pool.recordSuccess(first); // a success resets the count
  expect(pool.recordFailure(first)).toBe(false);
  expect(pool.recordFailure(first)).toBe(true);
  expect(pool.isEjected(first)).toBe(true);
  expect(pool.pick(model)!.url).toBe('http://10.0.0.2:8000/v1');
  now = 1001;
  expect(pool.isEjected(first)).toBe(false);
  expect(pool.pick(model)!.url).toBe(first);
});

test('with every endpoint ejected the one back soonest is used; excluded ones never', () => {
  let now = 0;
  const pool = new EndpointPool({ ejectAfterFailures: 1, ejectForMs: 1000, random: () => 0, now: () => now });
  pool.recordFailure('http://10.0.0.1:8000/v1');
  now = 10;
  pool.recordFailure('http://10.0.0.2:8000/v1');
  expect(pool.pick(model)!.url).toBe('http://10.0.0.1:8000/v1');
  expect(pool.pick(model, new Set(['http://10.0.0.1:8000/v1']))!.url).toBe('http://10.0.0.2:8000/v1');
  expect(pool.pick(model, new Set(model.endpoints.map((e) => e.url)))).toBeUndefined();
});

test('hostPort fills in default ports and keeps IPv6 brackets', () => {
  expect(hostPort('http://example.com/v1')).toBe('example.com:80');
  expect(hostPort('https://example.com/v1')).toBe('example.com:443');
  expect(hostPort('http://[::1]:8000/v1')).toBe('[::1]:8000');
});
