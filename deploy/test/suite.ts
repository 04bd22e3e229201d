import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// Every *.test.js in one process: aws-cdk-lib loads once and each context is synthesized once (synth.ts caches),
// a third of the CPU time of a process per file.
for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
  require(join(__dirname, file)); // eslint-disable-line @typescript-eslint/no-require-imports
}
