#!/usr/bin/env node
import { TRAIN_TASKS } from './tasks';

const USAGE = `usage: npm run train -- <task|all> [--seed N] [--out DIR] [--quick]
tasks: ${TRAIN_TASKS.map((t) => t.name).join(', ')}`;

async function main(argv: readonly string[]): Promise<number> {
  const args = [...argv];
  const flag = (name: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const value = args[i + 1];
    if (value === undefined) throw new Error(`${name} needs a value`);
    args.splice(i, 2);
    return value;
  };
  const seedArg = flag('--seed');
  const out = flag('--out');
  const quick = args.includes('--quick');
  const names = args.filter((a) => a !== '--quick');
  if (names.length !== 1 || names[0] === '--help') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const name = names[0] as string;
  const tasks = name === 'all' ? TRAIN_TASKS : TRAIN_TASKS.filter((t) => t.name === name);
  if (tasks.length === 0) {
    process.stderr.write(`unknown task "${name}"\n${USAGE}\n`);
    return 2;
  }
  if (out !== undefined && tasks.length > 1) throw new Error('--out works with one task only');
  const seed = seedArg === undefined ? undefined : Number(seedArg);
  if (seed !== undefined && !Number.isInteger(seed))
    throw new Error(`--seed must be an integer, got ${seedArg}`);
  for (const task of tasks)
    await task.run({ ...(out ? { outDir: out } : {}), ...(seed !== undefined ? { seed } : {}), quick });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`train failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
