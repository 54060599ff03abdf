import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CATALOGUE, SrError, errorCodeOf, toOpenAIError } from '../src';

describe('error catalogue', () => {
  const doc = readFileSync(join(__dirname, '../../../docs/errors.md'), 'utf8');
  const documented = new Map(
    [...doc.matchAll(/^\|\s*`([A-Z0-9_]+)`\s*\|\s*(\d+)\s*\|\s*`([a-z_]+)`\s*\|/gm)].map((m) => [
      m[1],
      { status: Number(m[2]), type: m[3] },
    ]),
  );

  it('documents every code with its status and type in docs/errors.md, and nothing else', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      expect(documented.get(code)).toEqual({ status: entry.status, type: entry.type });
    }
    expect([...documented.keys()].sort()).toEqual(Object.keys(ERROR_CATALOGUE).sort());
  });

  it('keeps the code across realms and shapes OpenAI error bodies', () => {
    const err = new SrError('BUS_TIMEOUT', 'slow');
    expect(err.status).toBe(504);
    expect(errorCodeOf(err)).toBe('BUS_TIMEOUT');
    expect(errorCodeOf({ code: 'BUS_TIMEOUT' })).toBe('BUS_TIMEOUT');
    expect(errorCodeOf(new Error('x'))).toBe('INTERNAL');
    expect(toOpenAIError('INVALID_JSON', 'bad', 'body')).toEqual({
      error: { message: 'bad', type: 'invalid_request_error', code: 'invalid_json', param: 'body' },
    });
  });
});
