import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
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

/** Every source file of a stage, in its subfolders too. */
const filesOf = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesOf(join(dir, entry.name)) : [join(dir, entry.name)],
  );

/** The stages a file imports from (its relative imports, resolved, outside its own stage). */
const importedStages = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)].flatMap(([, path]) => {
    const [top] = relative(src, resolve(dirname(file), path as string)).split(/[\\/]/);
    return top && STAGES.includes(top) ? [top] : [];
  });

describe('the stages', () => {
  it.each(STAGES)('%s imports only from the stages before it', (stage) => {
    const allowed = STAGES.slice(0, STAGES.indexOf(stage) + 1);
    for (const file of filesOf(join(src, stage)))
      for (const target of importedStages(file))
        expect(allowed, `${relative(src, file)} imports from ${target}/`).toContain(target);
  });

  it('put locale rules below every stage: they import no stage', () => {
    for (const file of filesOf(join(src, 'locale')))
      expect(importedStages(file).filter((t) => t !== 'locale')).toEqual([]);
  });

  it('sees a file in a subfolder and an import two folders up', () => {
    // the checker itself: a nested file of render importing ../../load is seen as importing load
    const nested = filesOf(join(src, 'render')).find((f) => f.includes('citations'));
    expect(nested).toBeDefined();
    expect(filesOf(join(src, 'render', 'citations')).flatMap(importedStages)).toContain('load');
  });
});
