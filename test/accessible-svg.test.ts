import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accessibleSvg, accessibleSvgXml, renderSvg } from '../src/charts/render.js';
import { chartSpec } from '../src/charts/spec.js';
import { loadStudy } from '../src/load/study.js';
import { formatter } from '../src/locale/format.js';
import { resultsOf } from '../src/stats/frequencies.js';
import { projectRoot } from './helpers.js';

/** Either gives the same SVG, or the same error. */
const outcome = (f: () => unknown) => {
  try {
    return { value: f() };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

describe('accessibleSvg reads Vega’s SVG as the XML parser does', () => {
  it('on the charts of the thesis, with texts of any characters', async () => {
    const study = await loadStudy(projectRoot);
    const results = resultsOf(study.codebook, study.tally);
    const svgs: string[] = [];
    for (const { code: lang, locale } of study.codebook.study.languages) {
      const format = formatter(locale);
      for (const q of study.codebook.questions) {
        const r = results.questions.find((x) => x.id === q.id);
        if (!r) continue;
        const spec = chartSpec(q, r, lang, format, study.strings[lang] as never, 'Source Serif 4');
        svgs.push(await renderSvg(spec, format));
      }
    }
    expect(svgs.length).toBeGreaterThan(3);
    fc.assert(
      fc.property(
        fc.constantFrom(...svgs),
        fc.string({ unit: 'binary' }),
        fc.string({ unit: 'binary' }),
        fc.stringMatching(/^[a-z][\w-]{0,12}$/),
        (svg, title, description, id) => {
          const text = { title, description };
          expect(outcome(() => accessibleSvg(svg, text, id))).toEqual(
            outcome(() => accessibleSvgXml(svg, text, id)),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('on SVG of any labels, references and markup', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.constantFrom(
        '&amp;',
        '&lt;',
        '&gt;',
        '&quot;',
        '&apos;',
        '&#38;',
        '&#x3C;',
        '&#x1F600;',
        '&#1;',
        '&nbsp;',
        '&',
        '<',
        '>',
        '"',
        "'",
        '\r\n',
        '\t',
        ']]>',
        '<!-- c -->',
        '<![CDATA[x]]>',
      ),
    );
    const value = fc.array(piece, { maxLength: 4 }).map((xs) => xs.join(''));
    const attributes = fc.array(
      fc.tuple(fc.constantFrom('role', 'aria-label', 'aria-hidden', 'class', 'x', 'role'), value),
      { maxLength: 3 },
    );
    const element: fc.Memo<string> = fc.memo((depth) =>
      fc
        .tuple(
          fc.constantFrom('g', 'text', 'path', 'title'),
          attributes,
          depth > 1
            ? fc.array(fc.oneof(value, element(depth - 1)), { maxLength: 3 })
            : fc.array(value, { maxLength: 1 }),
          fc.boolean(),
        )
        .map(([name, attrs, children, selfClosing]) => {
          const a = attrs.map(([k, v]) => ` ${k}="${v}"`).join('');
          return selfClosing && children.length === 0
            ? `<${name}${a}/>`
            : `<${name}${a}>${children.join('')}</${name}>`;
        }),
    );
    fc.assert(
      fc.property(
        attributes,
        fc.array(element(3), { maxLength: 3 }),
        fc.constantFrom('', ' ', '\n'),
        (attrs, children, after) => {
          const a = attrs.map(([k, v]) => ` ${k}="${v}"`).join('');
          const svg = `<svg width="10" height="20"${a}>${children.join('')}</svg>${after}`;
          const text = { title: 'T & <t>', description: 'd "q"' };
          expect(outcome(() => accessibleSvg(svg, text, 'c'))).toEqual(
            outcome(() => accessibleSvgXml(svg, text, 'c')),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
