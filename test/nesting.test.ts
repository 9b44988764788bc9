import { describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { parseMarkdown } from '../src/render/markdown.js';
import {
  checkInlineNesting,
  checkMarkdownNesting,
  checkTemplateBlocks,
  inlineNestingBound,
  MAX_MARKDOWN_NESTING as LIMIT,
  LIST_WEIGHT,
  MAX_INLINE_MARKERS,
  MAX_INLINE_NESTING,
  MAX_NESTING,
  nestingOf,
  QUOTE_WEIGHT,
  QUOTED_INLINE_BUDGET,
} from '../src/render/nesting.js';
import { lintTemplate } from '../src/render/template.js';
import { copyStudy, editFile, runCli } from './helpers.js';

const file = (text: string) => ({ path: 'templates/t.md.hbs', text });
const blocks = (text: string) => () => checkTemplateBlocks(file(text));
const markdown = (text: string) => () => checkMarkdownNesting(file(text));
const lint = (text: string) => () => lintTemplate(file(text));
const inline = (text: string) => () => checkInlineNesting(file(text));
const emphasis = (n: number) => `${'*a '.repeat(n)}deep${' b*'.repeat(n)}`;
const lines = (n: number, line: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => line(i)).join('\n');

describe('Handlebars blocks', () => {
  it('takes blocks nested up to the limit, and refuses one more at its line', () => {
    const nested = (n: number) =>
      `title\n\n${'{{#if x}}\n'.repeat(n)}deep\n${'{{/if}}\n'.repeat(n)}`;
    expect(lint(nested(MAX_NESTING))).not.toThrow();
    expect(blocks(nested(MAX_NESTING + 1))).toThrow(
      'templates/t.md.hbs:67: blocks nested deeper than 64 levels ({{#if}} opens level 65) (close blocks before opening others: at most 64 levels)',
    );
    expect(lint(nested(2000))).toThrow(/^templates\/t\.md\.hbs:67: blocks nested deeper/);
  });

  it('reports an unclosed block at the line that opens it, not at the end of the file', () => {
    const text = `${lines(8, () => 'text')}\n{{#if x}}\nmore\n${lines(126, () => 'text')}\n`;
    expect(lint(text)).toThrow(
      'templates/t.md.hbs:9: {{#if}} is never closed (add {{/if}} where the block ends)',
    );
    expect(lint('a\n{{#if x}}\n{{#unless y}}\nb\n{{/if}}\n')).toThrow(
      'templates/t.md.hbs:5: {{/if}} closes {{#unless}} of line 3 (close the inner block first, with {{/unless}})',
    );
    expect(lint('a\n\n{{/each}}\n')).toThrow(
      'templates/t.md.hbs:3: {{/each}} closes no block (remove it, or open the block before it)',
    );
  });

  it('reports a {{ never closed by }} at its own line', () => {
    expect(lint(`a\n{{#if x\n${lines(20, () => 'b')}\n{{n}}\n`)).toThrow(
      'templates/t.md.hbs:2: template syntax error near "{{#if x" (check that every {{ is closed by }} and every {{#block}} by its {{/block}})',
    );
    expect(lint('a\n\n{{!-- note\nb\n')).toThrow(
      'templates/t.md.hbs:3: a comment {{!-- is never closed (end it with --}})',
    );
  });

  it('reads what is not a block as Handlebars does', () => {
    for (const ok of [
      '{{#if a}}x{{else if b}}y{{else}}z{{/if}}',
      '{{#if a}}x{{^}}y{{/if}}',
      '{{^if a}}x{{/if}}',
      '{{~#if a~}} x {{~/if~}}',
      '{{lit "}} {{#if"}}',
      "{{lit '{{/if}}'}}",
      '\\{{#if a}} literal',
      '{{! {{#if}} }}',
      '{{!-- {{#if a}} }} --}}',
      '{{{{raw}}}} {{#if}} {{{{/raw}}}}',
      '{{{n}}}',
    ])
      expect(blocks(ok), ok).not.toThrow();
  });
});

describe('Markdown nesting', () => {
  it('takes blockquotes and lists nested up to the limit, and refuses one more', () => {
    expect(markdown(`intro\n\n${'>'.repeat(LIMIT)} deep\n`)).not.toThrow();
    expect(markdown(`intro\n\n${'>'.repeat(LIMIT + 1)} deep\n`)).toThrow(
      'templates/t.md.hbs:3: Markdown nested deeper than 12 levels (blockquotes, lists and ::: blocks, here 13) (nest them at most 12 deep: the PDF cannot set more)',
    );
    expect(markdown(`${'> '.repeat(2000)}deep`)).toThrow(/^templates\/t\.md\.hbs:1: /);
    // one level more on each line
    expect(markdown(lines(LIMIT, (i) => `${'>'.repeat(i + 1)} x`))).not.toThrow();
    expect(markdown(lines(2000, (i) => `${'>'.repeat(i + 1)} x`))).toThrow(
      /^templates\/t\.md\.hbs:13: /,
    );
    const list = (n: number, indent: string, marker: string) =>
      lines(n, (i) => `${indent.repeat(i)}${marker} item`);
    expect(markdown(list(LIMIT, '  ', '-'))).not.toThrow();
    expect(markdown(list(LIMIT + 1, '  ', '-'))).toThrow(/^templates\/t\.md\.hbs:13: /);
    expect(markdown(list(LIMIT + 1, '   ', '1.'))).toThrow(/^templates\/t\.md\.hbs:13: /);
    expect(markdown(`${'- '.repeat(LIMIT + 1)}x`)).toThrow(/^templates\/t\.md\.hbs:1: /);
    expect(markdown(`${'> - '.repeat(LIMIT / 2 + 1)}x`)).toThrow(/^templates\/t\.md\.hbs:1: /);
  });

  it('counts what the parser nests, and nothing else', async () => {
    const texts = [
      lines(20, (i) => `${'  '.repeat(i)}- item`),
      lines(20, (i) => `${'>'.repeat(Math.min(i + 1, LIMIT + 2))} x`),
      `${'> '.repeat(LIMIT - 2)}- a\n${'> '.repeat(LIMIT - 2)}  - b\n${'> '.repeat(LIMIT - 2)}    - c`,
      `${'- '.repeat(LIMIT + 3)}x`,
      `${'- '.repeat(LIMIT)}x`,
      lines(LIMIT, (i) => `${'   '.repeat(i)}1. item`),
    ];
    for (const text of texts) {
      const parsed = nestingOf(await parseMarkdown(text));
      let said: number | undefined;
      try {
        checkMarkdownNesting(file(text));
      } catch (e) {
        said = Number(/here (\d+)/.exec((e as Error).message)?.[1]);
      }
      if (parsed > LIMIT) expect(said, text.slice(0, 40)).toBeGreaterThan(LIMIT);
      else expect(said, text.slice(0, 40)).toBeUndefined();
    }
    // deep-looking text that nests nothing
    for (const flat of [
      `${'- '.repeat(200)}\n`, // a thematic break
      `\`\`\`\n${lines(100, (i) => '>'.repeat(i + 1))}\n\`\`\``, // code
      `${' '.repeat(400)}indented code`,
      lines(200, () => '- a sibling'),
    ]) {
      expect(markdown(flat), flat.slice(0, 20)).not.toThrow();
      expect(nestingOf(await parseMarkdown(flat))).toBeLessThanOrEqual(1);
    }
  });
});

describe('inline nesting', () => {
  it('takes emphasis nested up to the limit, and refuses one more at its line', () => {
    expect(MAX_INLINE_NESTING).toBe(32);
    expect(lint(`title\n\n${emphasis(MAX_INLINE_NESTING)}\n`)).not.toThrow();
    expect(inline(`title\n\nSome words,\nand ${emphasis(MAX_INLINE_NESTING + 1)}\n`)).toThrow(
      'templates/t.md.hbs:4: emphasis, strong text and links nested deeper than 32 levels (nest them at most 32 deep: the PDF cannot set more)',
    );
    expect(lint(`title\n\n> - ${emphasis(200)}\n`)).toThrow(
      /^templates\/t\.md\.hbs:3: emphasis, strong text and links nested deeper than 32/,
    );
  });

  it('refuses thousands of markers open inside one another unparsed, at the line of the first too deep', () => {
    const over =
      'more than 256 emphasis markers and brackets (*, _, ~, [) open inside one another (close them sooner, or write a literal one escaped (\\*, \\[))';
    expect(MAX_INLINE_MARKERS).toBe(256);
    expect(inline(`title\n\n${emphasis(1000)}\n`)).toThrow(`templates/t.md.hbs:3: ${over}`);
    // brackets that make no link nest nothing for the parser, but take it seconds all the same
    expect(inline(`title\n\n${'['.repeat(2000)}x\n${']'.repeat(2000)}\n`)).toThrow(
      `templates/t.md.hbs:3: ${over}`,
    );
    // the marker opening the level past the limit names the line
    const spread = `a\n\n${lines(300, (i) => `*w${i}`)} x${' b*'.repeat(300)}\n`;
    expect(inline(spread)).toThrow(`templates/t.md.hbs:${3 + 256}: ${over}`);
    expect(inline(`title\n\n> > > > > > > > > > > > ${emphasis(3000)}\n`)).toThrow(
      `templates/t.md.hbs:3: ${over}`,
    );
    // up to the limit the parser decides: brackets that make no link are text
    expect(
      inline(`title\n\n${'['.repeat(MAX_INLINE_MARKERS)}x${']'.repeat(MAX_INLINE_MARKERS)}\n`),
    ).not.toThrow();
  });

  it('counts strong text, strike-through, links and inline directives, each a level', () => {
    const mixed = (n: number) =>
      `${'**b ~~c [d :nowrap[e '.repeat(n)}deep${'] f](https://e.org) g~~ h**'.repeat(n)}`;
    // a link holds no link: the inner ones stay links, the outer ones fall back to text
    expect(inline(mixed(8))).not.toThrow();
    expect(inline(mixed(12))).toThrow(/:1: emphasis, strong text and links nested deeper/);
  });

  it('names the first line that goes too deep, and reads {{…}} as text', () => {
    const text = `${emphasis(3)}\n\n{{#if x}}\n${emphasis(40).replace('deep', '{{pct "x"}}')}\n{{/if}}\n\nlater ${emphasis(50)}\n`;
    expect(inline(text)).toThrow(/^templates\/t\.md\.hbs:4: /);
  });

  it('bounds the nesting without parsing, never below what the parser nests', () => {
    expect(inlineNestingBound('*a* [b](c) **d** _e_ ~~f~~ '.repeat(1000))).toBeLessThanOrEqual(2);
    expect(inlineNestingBound('*a '.repeat(1000))).toBe(0);
    expect(inlineNestingBound(emphasis(40))).toBe(40);
    expect(inlineNestingBound(`${emphasis(20)}\n\n${emphasis(20)}`)).toBe(20);
    expect(inlineNestingBound('\\*a \\*b c\\* d\\*')).toBe(0);
    expect(inlineNestingBound('***a***')).toBeGreaterThanOrEqual(2);
    expect(inlineNestingBound('[a [b [c](d) e](f) g](h)')).toBeGreaterThanOrEqual(1);
  });

  it('takes much text that nests nothing', () => {
    expect(inline('*a* [b](c) **d** '.repeat(20000))).not.toThrow();
    expect(inline('*a '.repeat(20000))).not.toThrow();
  });

  it('builds its HTML and PDF at the limit, and check refuses one more with its line', async () => {
    const root = await copyStudy();
    await editFile(root, 'templates/report.en.md.hbs', (t) =>
      t.replace('## Introduction', `${emphasis(MAX_INLINE_NESTING)}\n\n## Introduction`),
    );
    const { files } = await build({ root, dryRun: true, langs: ['en'] });
    expect(String(files.get('en/index.html')).match(/<em>/g)?.length).toBeGreaterThanOrEqual(
      MAX_INLINE_NESTING,
    );
    expect(files.get('en/el-porvenir-footwear-cluster.en.pdf')).toBeInstanceOf(Uint8Array);
    await editFile(root, 'templates/report.en.md.hbs', (t) =>
      t.replace(emphasis(MAX_INLINE_NESTING), emphasis(200)),
    );
    const { code, err } = await runCli(['check', '--root', root]);
    expect(code).toBe(2);
    expect(err.split('\n').filter((l) => !/ ms$/.test(l))).toEqual([
      'error: templates/report.en.md.hbs:15: emphasis, strong text and links nested deeper than 32 levels (nest them at most 32 deep: the PDF cannot set more)',
    ]);
  });
});

describe('inline nesting inside blockquotes', () => {
  it('builds the PDF at the limit inside 12 quotes, and check refuses one more level with its line', async () => {
    const most = QUOTED_INLINE_BUDGET - QUOTE_WEIGHT * LIMIT;
    expect(most).toBe(14);
    expect(inline(`${'>'.repeat(6)} ${emphasis(MAX_INLINE_NESTING)}\n`)).not.toThrow();
    expect(inline(`a\n\n${'>'.repeat(9)} ${emphasis(24)}\n`)).toThrow(
      'templates/t.md.hbs:3: emphasis, strong text and links nested deeper than 23 levels inside 9 nested blockquotes (nest them at most 23 deep there, or quote less deep: the PDF cannot set more)',
    );
    const root = await copyStudy();
    await editFile(root, 'templates/report.en.md.hbs', (t) =>
      t.replace('## Introduction', `${'>'.repeat(LIMIT)} ${emphasis(most)}\n\n## Introduction`),
    );
    const { files } = await build({ root, dryRun: true, langs: ['en'] });
    expect(files.get('en/el-porvenir-footwear-cluster.en.pdf')).toBeInstanceOf(Uint8Array);
    // one level more: the PDF could not set it; refused before any back-end, at its line
    await editFile(root, 'templates/report.en.md.hbs', (t) =>
      t.replace(emphasis(most), emphasis(most + 6)),
    );
    const { code, err } = await runCli(['check', '--root', root]);
    expect(code).toBe(2);
    expect(err.split('\n').filter((l) => !/ ms$/.test(l))).toEqual([
      'error: templates/report.en.md.hbs:15: emphasis, strong text and links nested deeper than 14 levels inside 12 nested blockquotes (nest them at most 14 deep there, or quote less deep: the PDF cannot set more)',
    ]);
  }, 120_000);

  it('counts each list level inside them as one: the PDF sets the limit and refuses one more', async () => {
    // 6 quotes and 6 list levels: 50 - 3×6 - 6 = 26 levels are set
    const nested = (levels: number) =>
      `${Array.from({ length: 6 }, (_, k) => `${'> '.repeat(6)}${'  '.repeat(k)}- x`).join('\n')} ${emphasis(levels)}`;
    expect(LIST_WEIGHT).toBe(1);
    expect(inline(`a\n\n${nested(26)}\n`)).not.toThrow();
    expect(inline(`a\n\n${nested(27)}\n`)).toThrow(
      'templates/t.md.hbs:8: emphasis, strong text and links nested deeper than 26 levels inside 6 nested blockquotes and 6 lists (nest them at most 26 deep there, or quote and list less deep: the PDF cannot set more)',
    );
    expect(inline(`a\n\n${'> '.repeat(11)}- ${emphasis(17)}\n`)).toThrow(
      /:3: emphasis, strong text and links nested deeper than 16 levels inside 11 nested blockquotes and a list /,
    );
    // lists alone never take the PDF below the 32 levels
    expect(
      inline(
        `a\n\n${Array.from({ length: LIMIT }, (_, k) => `${'  '.repeat(k)}- x`).join('\n')} ${emphasis(MAX_INLINE_NESTING)}\n`,
      ),
    ).not.toThrow();
    const root = await copyStudy();
    await editFile(root, 'templates/report.en.md.hbs', (t) =>
      t.replace('## Introduction', `${nested(26)}\n\n## Introduction`),
    );
    const { files } = await build({ root, dryRun: true, langs: ['en'] });
    expect(files.get('en/el-porvenir-footwear-cluster.en.pdf')).toBeInstanceOf(Uint8Array);
  }, 120_000);
});

describe('a deeply nested template', () => {
  it('builds its HTML and PDF at the limit', async () => {
    const root = await copyStudy();
    await editFile(root, 'templates/report.en.md.hbs', (t) =>
      t.replace('## Introduction', `${'>'.repeat(LIMIT)} deep\n\n## Introduction`),
    );
    const { files } = await build({ root, dryRun: true, langs: ['en'] });
    expect(String(files.get('en/index.html')).match(/<blockquote>/g)).toHaveLength(LIMIT);
    expect(files.get('en/el-porvenir-footwear-cluster.en.pdf')).toBeInstanceOf(Uint8Array);
  });

  it('is refused by check with exit 2 and its line', async () => {
    const root = await copyStudy();
    await editFile(root, 'templates/report.es.md.hbs', (t) =>
      t.replace('## Introducción', `${'>'.repeat(500)} hondo\n\n## Introducción`),
    );
    const { code, err } = await runCli(['check', '--root', root]);
    expect(code).toBe(2);
    expect(err.split('\n').filter((l) => !/ ms$/.test(l))).toEqual([
      'error: templates/report.es.md.hbs:15: Markdown nested deeper than 12 levels (blockquotes, lists and ::: blocks, here 500) (nest them at most 12 deep: the PDF cannot set more)',
    ]);
    // refused before any chart or page is made
    expect(err).not.toMatch(/^charts/m);
  });
});
