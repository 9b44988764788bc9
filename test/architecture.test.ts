import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './helpers.js';

/** The stages in the order data flows; each may import only from the ones before it. */
const STAGES = [
  'locale',
  'load',
  'stats',
  'verify',
  'scan',
  'charts',
  'render',
  'publish',
  'audit',
];
const src = join(projectRoot, 'src');

describe('the stages', () => {
  it.each(STAGES)('%s imports only from the stages before it', (stage) => {
    const allowed = STAGES.slice(0, STAGES.indexOf(stage) + 1);
    for (const file of readdirSync(join(src, stage))) {
      const text = readFileSync(join(src, stage, file), 'utf8');
      for (const [, target] of text.matchAll(/from '\.\.\/([\w-]+)\//g)) {
        if (!STAGES.includes(target as string)) continue;
        expect(allowed, `src/${stage}/${file} imports from ${target}/`).toContain(target);
      }
    }
  });

  it('put locale rules below every stage: they import no stage', () => {
    for (const file of readdirSync(join(src, 'locale'))) {
      const text = readFileSync(join(src, 'locale', file), 'utf8');
      expect(text).not.toMatch(/from '\.\.\/[\w-]+\//);
    }
  });
});
