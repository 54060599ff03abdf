#!/usr/bin/env node
/**
 * The `semantic-router` command.
 *   serve [--config FILE] [--demo-upstream [--demo-port N]]   the whole router in one process
 *   demo-upstream [--host H] [--port N]                      a demo OpenAI-compatible model server
 *   config validate FILE                                     check a config, list every problem
 *   classify --input FILE|- [--output FILE] [--config FILE]  JSON lines in, signals out
 *   similarity --input pairs.jsonl                           cache similarity + verification per pair
 *   select-tools --tools tools.json --input queries.jsonl    tool selection per query
 * Single services run from their own packages (`node services/<name>/dist/main.js`).
 */
import { parseArgs } from 'node:util';
import { classifyCommand } from './commands/classify';
import { validateConfig } from './commands/config-validate';
import { demoUpstream, serve } from './commands/serve';
import { selectToolsCommand, similarityCommand } from './commands/similarity';

const USAGE = `usage:
  semantic-router serve [--config FILE] [--demo-upstream] [--demo-port N]
  semantic-router demo-upstream [--host H] [--port N]
  semantic-router config validate FILE
  semantic-router classify --input FILE|- [--output FILE] [--config FILE] [--batch N]
  semantic-router similarity --input FILE|- [--output FILE] [--config FILE]
  semantic-router select-tools --tools tools.json --input FILE|- [--top-k N] [--threshold X] [--output FILE]
`;

function usageError(message: string): number {
  process.stderr.write(`${message}\n${USAGE}`);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const defaultConfig = process.env.SR_CONFIG ?? 'config/config.yaml';
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({
        args: rest,
        options: {
          config: { type: 'string', default: defaultConfig },
          'demo-upstream': { type: 'boolean', default: false },
          'demo-port': { type: 'string', default: '8000' },
        },
      });
      await serve({
        config: values.config,
        demoUpstream: values['demo-upstream'],
        demoPort: Number(values['demo-port']),
      });
      return -1; // keep running
    }
    case 'demo-upstream': {
      const { values } = parseArgs({
        args: rest,
        options: {
          host: { type: 'string', default: '127.0.0.1' },
          port: { type: 'string', default: '8000' },
        },
      });
      await demoUpstream(values.host, Number(values.port));
      return -1; // keep running
    }
    case 'config': {
      if (rest[0] !== 'validate' || !rest[1]) break;
      return validateConfig(rest[1], process.stdout, process.stderr);
    }
    case 'similarity': {
      const { values } = parseArgs({
        args: rest,
        options: {
          input: { type: 'string' },
          output: { type: 'string' },
          config: { type: 'string', default: defaultConfig },
        },
      });
      if (!values.input) return usageError('similarity: --input FILE (or - for stdin) is required');
      return similarityCommand({ config: values.config, input: values.input, output: values.output });
    }
    case 'select-tools': {
      const { values } = parseArgs({
        args: rest,
        options: {
          tools: { type: 'string' },
          input: { type: 'string' },
          output: { type: 'string' },
          config: { type: 'string', default: defaultConfig },
          'top-k': { type: 'string' },
          threshold: { type: 'string' },
        },
      });
      if (!values.tools || !values.input)
        return usageError('select-tools: --tools FILE and --input FILE (or -) are required');
      return selectToolsCommand({
        config: values.config,
        tools: values.tools,
        input: values.input,
        output: values.output,
        topK: values['top-k'] === undefined ? undefined : Number(values['top-k']),
        threshold: values.threshold === undefined ? undefined : Number(values.threshold),
      });
    }
    case 'classify': {
      const { values } = parseArgs({
        args: rest,
        options: {
          input: { type: 'string' },
          output: { type: 'string' },
          config: { type: 'string', default: defaultConfig },
          batch: { type: 'string', default: '32' },
        },
      });
      if (!values.input) return usageError('classify: --input FILE (or - for stdin) is required');
      return classifyCommand({
        config: values.config,
        input: values.input,
        output: values.output,
        batchSize: Number(values.batch),
      });
    }
    case undefined:
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return 0;
  }
  process.stderr.write(`unknown command: ${argv.join(' ')}\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`semantic-router: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
