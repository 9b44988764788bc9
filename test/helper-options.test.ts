import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStudy } from '../src/load/study.js';
import { formatter } from '../src/locale/format.js';
import type { LikertRequest } from '../src/render/helpers.js';
import { renderTemplate, unbalancedBlock } from '../src/render/template.js';
import { resultsOf } from '../src/stats/frequencies.js';
import { verify } from '../src/verify/verify.js';
import { projectRoot } from './helpers.js';

const root = join(projectRoot, 'test/fixtures/town-survey');
const study = await loadStudy(root);
const results = resultsOf(study.codebook, study.tally);
const verification = verify(study.codebook, results, study.claims);

/** Fills a template of the town survey in one language; the error message when it fails. */
function fill(text: string, lang = 'en'): string {
  const requests: LikertRequest[] = [];
  try {
    return renderTemplate(
      { path: `templates/report.${lang}.md.hbs`, text },
      {
        lang,
        template: `templates/report.${lang}.md.hbs`,
        codebook: study.codebook,
        results,
        verification,
        format: formatter(lang === 'es' ? 'es-PE' : 'en-US'),
        strings: study.strings[lang] as never,
        chartPath: (id) => `charts/${id}.svg`,
        likertPath: (r) => {
          requests.push(r);
          return `charts/likert-${r.questions.join('-')}.svg`;
        },
      },
    );
  } catch (error) {
    return `ERROR ${(error as Error).message}`;
  }
}

/** A template whose line `line` holds the snippet. */
const at = (line: number, snippet: string) => `${'Text.\n\n'.repeat((line - 1) / 2)}${snippet}\n`;

describe('helpers refuse what they do not know, at the helper’s line', () => {
  it.each([
    [
      'a misspelt option',
      '{{pct "district" "north" digit=2}}',
      '{{pct}}: unknown option "digit=" (did you mean digits=? it takes digits=, top=, bottom=, base=, where=)',
    ],
    [
      'an option of another helper',
      '{{pct "district" "north" by="sex"}}',
      '{{pct}}: unknown option "by="',
    ],
    [
      'an option on a helper that takes none',
      '{{n "district" digits=1}}',
      '{{n}}: unknown option "digits=" (it takes where=)',
    ],
    [
      'a value of the wrong kind',
      '{{pct "district" "north" digits="two"}}',
      '{{pct}}: digits="two" is not valid (digits= takes a whole number from 0 to 4)',
    ],
    [
      'top= on a single question',
      '{{pct "district" top=2}}',
      '{{pct}}: top= applies to ordinal questions; "district" is single',
    ],
    [
      'a mean of a single question',
      '{{mean "district"}}',
      '{{mean}}: a mean needs a numeric question (or an ordinal one with scores); "district" is single',
    ],
    [
      'an unknown question',
      '{{mean "agee"}}',
      '{{mean}}: unknown question "agee" (did you mean "age"?',
    ],
    [
      'an unknown option',
      '{{pct "channels" "tele"}}',
      '{{pct}}: unknown option "tele" of question "channels"',
    ],
    [
      'a chart of open answers',
      '{{chart "comment"}}',
      '{{chart}}: "comment" is an open question: open answers are never charted',
    ],
    [
      'unpublished answers',
      '{{answers "contact"}}',
      '{{answers}}: the answers of "contact" are not published',
    ],
    [
      'a battery off its scale',
      '{{likert "safety" "district"}}',
      '{{likert}}: "district" is a single question',
    ],
    [
      'SPSS frequencies of a multiple question',
      '{{frequencies "channels"}}',
      '{{frequencies}}: "channels" is a multiple question',
    ],
    [
      'a box covering the scale',
      '{{pct "safety" top=5}}',
      '{{pct}}: top=5 covers every option of "safety"',
    ],
  ])('%s', (_name, snippet, message) => {
    const out = fill(at(7, `Before ${snippet} after.`));
    expect(out).toContain(`ERROR templates/report.en.md.hbs:7: ${message}`);
  });

  it('names the line of an unclosed block, not the end of the file', () => {
    const text = `${at(9, '{{#if true}}')}${'More text.\n'.repeat(120)}`;
    expect(fill(text)).toMatch(
      /^ERROR templates\/report\.en\.md\.hbs:9: \{\{#if\}\} is never closed/,
    );
    expect(unbalancedBlock('a\n{{#each x}}\nb\n{{/if}}\n')).toEqual({
      line: 4,
      problem: '{{/if}} closes {{#each}}, opened on line 2',
      hint: 'close {{#each}} with {{/each}} first',
    });
    expect(unbalancedBlock('{{!-- {{#if}} --}} {{#if a}}{{/if}}')).toBeUndefined();
  });
});

describe('the helpers of the question types', () => {
  it('give top and bottom boxes, means, medians and quartiles in the page’s locale', () => {
    expect(fill('{{pct "lighting" top=2}} {{count "lighting" top=2}}')).toBe('73% 135');
    expect(fill('{{pct "lighting" top=2}}', 'es')).toBe(formatter('es-PE').percent(0.73, 1));
    const es = formatter('es-PE');
    expect(fill('{{mean "income" digits=2}} · {{median "age"}} · {{q1 "income"}}', 'es')).toBe(
      `${es.decimal(2296.52, 2)} · 44 · ${es.decimal(1768.3, 1)}`,
    );
    expect(fill('{{mean "safety" digits=2}} {{median-category "safety"}}')).toBe('2.46 Disagree');
    // a share of every respondent, blanks included: 80 of 200 against 80 of 193
    expect(fill('{{pct "district" "north" base="all"}} {{pct "district" "north"}}')).toBe(
      '40% 41.5%',
    );
  });

  it('print the SPSS frequency table with its headers in the page’s language', () => {
    const es = fill('{{frequencies "district"}}', 'es');
    for (const header of ['Frecuencia', 'Porcentaje', 'Porcentaje válido', 'Porcentaje acumulado'])
      expect(es).toContain(header);
    // north: 80 of 200 respondents, 80 of the 193 who answered; cumulative at the last option
    expect(es).toMatch(/\| Válido +\| Norte +\| +80 \| +40\.0 \| +41\.5 \| +41\.5 \|/);
    expect(es).toMatch(/\| +\| Sur +\| +44 \| +22\.0 \| +22\.8 \| +100\.0 \|/);
    expect(es).toMatch(/\| Perdidos +\| Sin respuesta +\| +7 \| +3\.5 \|/);
    expect(fill('{{frequencies "district"}}')).toContain('Valid percent');
  });

  it('say under a multiple question’s table that its percentages may add past 100 %', () => {
    const table = fill('{{table "channels"}}');
    expect(table).toContain('% of respondents');
    expect(table).toContain('may add up to more than 100 %');
  });

  it('list open answers escaped, in data order, capped', () => {
    const answers = study.tally.questions.find((q) => q.id === 'comment')?.texts ?? [];
    const out = fill('{{answers "comment" max=3}}');
    expect(out.split('\n').filter((l) => l.startsWith('*'))).toHaveLength(3);
    expect(out).toContain(`And ${answers.length - 3} more answers`);
    // Markdown in an answer is text: *muy* and <please> are escaped
    const all = fill('{{answers "comment"}}');
    expect(all).toContain('\\*muy\\*');
    expect(all).toContain('\\<please>');
  });
});
