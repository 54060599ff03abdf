import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** Where JSON lines come from (a file or `-` for stdin) and go to (a file, or stdout). */
export function openJsonl(input: string, output: string | undefined) {
  const out: NodeJS.WritableStream = output ? createWriteStream(output) : process.stdout;
  const lines = createInterface({
    input: input === '-' ? process.stdin : createReadStream(input),
    crlfDelay: Infinity,
  });
  return {
    lines,
    write: (value: unknown) => out.write(`${JSON.stringify(value)}\n`),
    close: () =>
      out === process.stdout
        ? Promise.resolve()
        : new Promise<void>((resolve) => (out as NodeJS.WritableStream).end(resolve)),
  };
}

/** Parses one line as a JSON object, or returns a message naming what is wrong with it. */
export function parseObjectLine(line: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return `malformed JSON: ${(e as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a JSON object';
  return value as Record<string, unknown>;
}

/** The string field `name` of a line, or a message naming the problem. */
export function stringField(obj: Record<string, unknown>, name: string): string | { error: string } {
  const v = obj[name];
  if (typeof v !== 'string')
    return { error: `"${name}" must be a string, got ${v === undefined ? 'nothing' : typeof v}` };
  if (v.trim() === '') return { error: `"${name}" must not be empty` };
  return v;
}
