import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInStrings } from '../src/locale/strings.js';
import { projectRoot } from './helpers.js';

const read = (path: string) => readFileSync(join(projectRoot, path), 'utf8');

/** The shipped wording a reader sees: templates, interface strings, codebook and claims texts. */
const texts: Record<string, string> = {
  es: [
    read('templates/report.es.md.hbs'),
    JSON.stringify(builtInStrings.es),
    // the thesis's title as published is quoted, not written by us
    ...read('data/codebook.yaml')
      .split('\n')
      .filter((l) => /^\s*(es:|-)/.test(l) && !/source_title/.test(l)),
    ...read('data/claims.yaml')
      .split('\n')
      .filter((l) => /^\s*es:/.test(l)),
  ].join('\n'),
  en: [
    read('templates/report.en.md.hbs'),
    JSON.stringify(builtInStrings.en),
    ...read('data/codebook.yaml')
      .split('\n')
      .filter((l) => /^\s*en:|^\s{8}\S/.test(l)),
    ...read('data/claims.yaml')
      .split('\n')
      .filter((l) => /^\s*en:/.test(l)),
  ].join('\n'),
};

/** Every faulty phrase a careful native reader found in the shipped report. */
const faulty: Record<string, (string | RegExp)[]> = {
  es: [
    'micro clúster',
    'Leer en English',
    'Leer en',
    /se verifican y \S+ no/,
    'se comprueban además como alcanzables',
    'La población estudiada son',
    'Pregunta:',
    /\(\{\{pct "training-received" "none"\}\}\)/,
    /publicada en el \{\{repository\}\} \(\{\{institution\}\}/,
    'IC 95 %',
  ],
  en: [
    'Read in Español',
    'Read in',
    'holds no real answer',
    'None receives',
    'None receive',
    'from any body',
    'any other body',
    'some body',
    'Government incentive expected',
    'the forming of',
    'Question:',
    '95 % CI',
    // straight quotes around a word, and straight apostrophes, in prose
    /"\w+"(?! *[:,}\]])/,
    /\w'\w/,
  ],
};

describe.each(['es', 'en'])('the shipped %s wording', (lang) => {
  it.each((faulty[lang] ?? []).map((p) => [String(p), p]))('has no %s', (_, phrase) => {
    // helper calls quote their arguments: not prose (but a phrase made of helpers is read whole)
    const raw = texts[lang] as string;
    const text = raw.replace(/\{\{[^}]*\}\}/g, '');
    if (typeof phrase === 'string') expect(text).not.toContain(phrase);
    else expect(phrase.source.includes('\\{\\{') ? raw : text).not.toMatch(phrase);
  });

  it('writes "microclúster" as one word, as it writes "microempresarios"', () => {
    if (lang === 'es') expect(texts.es).toContain('microclúster');
    else expect(texts.en).toContain('micro-cluster');
  });
});
