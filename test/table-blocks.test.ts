import fc from 'fast-check';
import type { Root, Table, TableCell } from 'mdast';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../src/render/markdown.js';
import { collectTables, tableBlock, withTables } from '../src/render/table-blocks.js';

/** The tree without positions, and the positions of what is outside tables. */
function strip(node: unknown, inTable = false, outside: unknown[] = []): unknown {
  if (Array.isArray(node)) return node.map((n) => strip(n, inTable, outside));
  if (!node || typeof node !== 'object') return node;
  const { position, ...rest } = node as { position?: unknown; type?: string };
  const table = inTable || rest.type === 'table';
  if (!table && position) outside.push(position);
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, strip(v, table, outside)]));
}

const words = { figure: 'Figura', table: 'Tabla', source: 'test' };
const parse = (text: string) => parseMarkdown(text, words);

describe('tables kept as written give the tree the parser reads', () => {
  it('for cells of any text, around any Markdown', async () => {
    const textPiece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      fc.constantFrom(
        'muy de acuerdo',
        '23.3%',
        '400',
        ' lead',
        'trail ',
        '*a*',
        'a_b',
        '[x]',
        '<b>',
        '&amp;',
        'a|b',
        ':nowrap[x]',
        '~x~',
        'www.x.org',
        '',
        '—',
        '19.4–27.6%',
        '1. x',
        '# h',
        '\\',
      ),
    );
    const cell = fc
      .tuple(fc.constantFrom('text', 'strong', 'nowrap'), fc.array(textPiece, { maxLength: 3 }))
      .map(([kind, parts]): TableCell => {
        const text = { type: 'text' as const, value: parts.join('').replace(/\s+/g, ' ') };
        return {
          type: 'tableCell',
          children: [
            kind === 'text'
              ? text
              : kind === 'strong'
                ? { type: 'strong', children: [text] }
                : ({ type: 'textDirective', name: 'nowrap', children: [text] } as never),
          ],
        };
      });
    const table = fc.integer({ min: 1, max: 4 }).chain((width) =>
      fc
        .tuple(
          fc.array(fc.constantFrom('left', 'right', 'center', null), {
            minLength: width,
            maxLength: width,
          }),
          fc.array(fc.array(cell, { minLength: width, maxLength: width }), {
            minLength: 1,
            maxLength: 4,
          }),
          fc.string({ unit: 'grapheme', maxLength: 10 }),
        )
        .map(([align, rows, caption]) => ({
          table: {
            type: 'table',
            align,
            children: rows.map((cells) => ({ type: 'tableRow', children: cells })),
          } as Table,
          caption,
        })),
    );
    const around = fc.constantFrom(
      '',
      'Some text.',
      '## Heading {#h}',
      '> quoted',
      '- item',
      '    code',
      '```\nfence',
      '[](#tbl-t0)',
      ':::figure{#f caption="c"}\n![a](b.svg)\n:::',
      '| a |\n| - |\n| b |',
    );
    let keptSome = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(around, table), { minLength: 1, maxLength: 4 }),
        around,
        async (blocks, last) => {
          const { value: markdown, tables } = collectTables(() =>
            [
              ...blocks.flatMap(([before, { table, caption }], i) => [
                before,
                tableBlock(`tbl-t${i}`, caption, table),
              ]),
              last,
            ].join('\n\n'),
          );
          const read = await outcome(() => parse(markdown));
          const kept = await outcome(() =>
            withTables(markdown, tables, (text) => {
              if (text !== markdown) keptSome++;
              return parse(text);
            }),
          );
          const a: unknown[] = [];
          const b: unknown[] = [];
          expect(kept.error ?? strip(kept.tree, false, b)).toEqual(
            read.error ?? strip(read.tree, false, a),
          );
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 300 },
    );
    // the cases where tables were kept, not only those the parser read whole
    expect(keptSome).toBeGreaterThan(30);
  });

  it('keeps the tables of plain cells (the parser does not read them)', async () => {
    const { value: markdown, tables } = collectTables(() =>
      tableBlock('tbl-q', 'q: answers (n = 40)', {
        type: 'table',
        align: ['left', 'right'],
        children: [
          {
            type: 'tableRow',
            children: [
              { type: 'tableCell', children: [{ type: 'text', value: 'Option' }] },
              { type: 'tableCell', children: [{ type: 'text', value: '%' }] },
            ],
          },
          {
            type: 'tableRow',
            children: [
              { type: 'tableCell', children: [{ type: 'text', value: 'muy de acuerdo' }] },
              {
                type: 'tableCell',
                children: [
                  {
                    type: 'textDirective',
                    name: 'nowrap',
                    children: [{ type: 'text', value: '19.4–27.6%' }],
                  } as never,
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(tables.size).toBe(1);
    const texts: string[] = [];
    await withTables(markdown, tables, async (text) => {
      texts.push(text);
      return parse(text);
    });
    expect(texts).toHaveLength(1);
    expect(texts[0]).not.toContain('muy de acuerdo');
  });
});

async function outcome(f: () => Promise<Root>): Promise<{ tree?: Root; error?: string }> {
  try {
    return { tree: await f() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
