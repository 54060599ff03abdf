#!/usr/bin/env node
// `npm run bench -- <name> [args]`: runs one benchmark; each prints a table and saves JSON to bench/results/.
import { runCacheCli } from './cache';
import { runClassifyBench } from './classify';
import { runClassifyRoundtripBench } from './classify-roundtrip';
import { runEncoderBench } from './encoder';
import { runExtProcBench } from './extproc';
import { runGatewayBench } from './gateway';
import { runGuardBench } from './guard';
import { runTransformersBench } from './transformers';

const BENCHES: Readonly<Record<string, (args: readonly string[]) => Promise<void>>> = {
  classify: runClassifyBench,
  cache: runCacheCli,
  gateway: runGatewayBench,
  guard: runGuardBench,
  'classify-roundtrip': runClassifyRoundtripBench,
  encoder: runEncoderBench,
  extproc: runExtProcBench,
  transformers: runTransformersBench,
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const bench = name === undefined ? undefined : BENCHES[name];
  if (bench === undefined) {
    process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [args]\n`);
    return 2;
  }
  await bench(rest);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
