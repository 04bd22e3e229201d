import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Stack } from 'aws-cdk-lib';
import { DEPLOY, roleId, roleStatements, synth } from './synth';

const OPERATIONS = join(DEPLOY, '..', 'docs', 'operations.md');
const BEGIN = '<!-- iam-table: generated from the synthesized templates by deploy/test/docs.test.ts; '
  + 'SLUICE_UPDATE_DOCS=1 npm test rewrites it -->';
const END = '<!-- /iam-table -->';

/** The IAM of every pipeline's two roles as the default context synthesizes them, one row per statement. */
function iamTable(): string {
  const s = synth();
  const rows = ['| pipeline | role | actions | resources |', '|---|---|---|---|'];
  for (const [pipeline, stack] of Object.entries(s.pipelines) as [string, Stack][]) {
    for (const [role, part] of [['task', 'TaskRole'], ['execution', 'TaskExecutionRole']]) {
      const id = roleId(s, stack, part);
      for (const st of roleStatements(s, stack).filter((r) => r.role === id)) {
        const code = (items: string[]) => items.map((i) => `\`${i}\``).join(', ');
        rows.push(`| ${pipeline} | ${role} | ${code(st.actions)} | ${code(st.resources)} |`);
      }
    }
  }
  return rows.join('\n');
}

describe('docs/operations.md', () => {
  it('its IAM table is what the stacks grant', () => {
    const page = readFileSync(OPERATIONS, 'utf8');
    const begin = page.indexOf(BEGIN);
    const end = page.indexOf(END);
    assert.ok(begin >= 0 && end > begin, `${OPERATIONS} has no ${BEGIN} … ${END} block`);
    const expected = `${BEGIN}\n${iamTable()}\n${END}`;
    const written = page.slice(begin, end + END.length);
    if (process.env.SLUICE_UPDATE_DOCS === '1' && written !== expected) {
      writeFileSync(OPERATIONS, page.slice(0, begin) + expected + page.slice(end + END.length));
      return;
    }
    assert.equal(written, expected, 'the IAM table differs from the stacks: SLUICE_UPDATE_DOCS=1 npm test rewrites it');
  });
});
