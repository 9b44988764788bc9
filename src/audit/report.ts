import type { Audit } from './audit.js';

type Paint = Record<'green' | 'red' | 'yellow', (text: string) => string>;

/** The audit for a person: what was checked, then each problem on a line of its own. */
export function auditReport(audit: Audit, c: Paint): string {
  const k = audit.checked;
  const lines = [
    `${audit.site}: made by ${audit.generator.name} ${audit.generator.version}`,
    `  ${k.files} files re-hashed against manifest.json`,
    k.recomputed
      ? '  data/results.json and data/verification.json recomputed from data/responses.csv'
      : '  data/results.json and data/verification.json not recomputed',
    `  ${k.figures} figures on ${k.pages} pages recomputed and found in place · ${k.charts} charts' data checked`,
    ...audit.notes.map((note) => `  ${c.yellow('note')}: ${note}`),
    ...audit.problems.map((p) => `${c.red('✗')} ${p.file}: ${p.problem}`),
    audit.ok
      ? `${c.green('ok')}: the site is what its manifest says, and every figure follows from its data`
      : `${c.red('not ok')}: ${audit.problems.length} problem${audit.problems.length === 1 ? '' : 's'}`,
  ];
  return lines.join('\n');
}
