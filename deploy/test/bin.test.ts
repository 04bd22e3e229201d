import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEPLOY, IMAGE } from './synth';

/** Runs the app's entry point as `cdk synth` does: context in CDK_CONTEXT_JSON, the assembly into CDK_OUTDIR. */
function runApp(context: Record<string, unknown>) {
  const out = mkdtempSync(join(tmpdir(), 'sluice-cdk-'));
  try {
    const run = spawnSync(process.execPath, [join(DEPLOY, 'dist', 'bin', 'sluice.js')], {
      env: { PATH: process.env.PATH, CDK_OUTDIR: out, CDK_CONTEXT_JSON: JSON.stringify(context) },
      encoding: 'utf8',
    });
    return { status: run.status, stderr: run.stderr, files: readdirSync(out).sort() };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('the entry point cdk.json runs', () => {
  it('writes the five templates with only an image as context, no AWS variable set', () => {
    const { status, stderr, files } = runApp({ image: IMAGE });
    assert.equal(status, 0, stderr);
    assert.deepEqual(files.filter((f) => f.endsWith('.template.json')), ['SluiceBase.template.json',
      'SluiceLake.template.json', 'SluiceLogins.template.json', 'SluicePlaytime.template.json',
      'SluiceTracking.template.json']);
  });

  it('a wrong context value: exit status 1, one line naming the key, no template', () => {
    const { status, stderr, files } = runApp({ image: IMAGE, lakeShards: 'many' });
    assert.equal(status, 1);
    assert.equal(stderr, 'sluice deploy: context lakeShards="many": a whole number from 1 to 500\n');
    assert.deepEqual(files.filter((f) => f.endsWith('.template.json')), []);
  });
});
