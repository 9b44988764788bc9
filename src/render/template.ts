import Handlebars, { type HelperOptions } from 'handlebars';
import { trim } from '../cache.js';
import { InputError } from '../errors.js';
import type { SourceFile } from '../load/study.js';
import { BLOCKS_HINT, isBlock } from './blocks.js';
import { withoutCitationsAndLabels } from './citations/syntax.js';
import { createHelpers, type TemplateContext } from './helpers.js';
import { checkNesting } from './nesting.js';

type Node = hbs.AST.Node & { body?: Node[]; program?: Node; inverse?: Node };

/**
 * Checks a template before it runs. No partials (a report is one template per language),
 * no blocks but :::figure and :::table, and no figure typed by hand: any digit (of any script) in a template's text, outside a helper call,
 * is an error. Numbers come from helpers; a literal such as a year goes through {{lit "…"}}.
 * Returns the template as parsed (what Handlebars compiles).
 */
export function lintTemplate(template: SourceFile): hbs.AST.Program {
  checkNesting(template);
  const ast = parseTemplate(template);
  const walk = (node: Node | undefined) => {
    if (!node) return;
    if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') {
      throw new InputError(
        template.path,
        node.loc.start.line,
        'partials are not supported: a report is one template per language',
      );
    }
    if (node.type === 'ContentStatement') {
      const source = (node as unknown as { original: string }).original;
      const block = /^:::\s*([A-Za-z][\w-]*)/m.exec(source);
      if (block && !isBlock(block[1] as string)) {
        const line = node.loc.start.line + (source.slice(0, block.index).match(/\n/g)?.length ?? 0);
        throw new InputError(template.path, line, `unknown block ":::${block[1]}"`, BLOCKS_HINT);
      }
    }
    if (node.type === 'ContentStatement') {
      const content = node as hbs.AST.ContentStatement;
      // a citation's key and page (`[@porter1998, p. 12]`) and a footnote's label (`[^1]`) are no figures
      const original = withoutCitationsAndLabels(
        (content as unknown as { original: string }).original,
      );
      // any script's decimal digits (٩٣, ９３), and its percent signs (٪, ％, ﹪)
      const match = /\p{Nd}+(?:[.,]\p{Nd}+)*\s?[%\u066a\ufe6a\uff05]?/u.exec(original);
      if (match) {
        const before = original.slice(0, match.index);
        const line = content.loc.start.line + (before.match(/\n/g)?.length ?? 0);
        throw new InputError(
          template.path,
          line,
          `the number "${match[0].trim()}" is typed by hand`,
          'take it from the data through a helper such as {{pct …}} or {{count …}}, or write {{lit "…"}} for a literal',
        );
      }
    }
    for (const child of node.body ?? []) walk(child);
    walk(node.program);
    walk(node.inverse);
  };
  walk(ast as Node);
  return ast;
}

function parseTemplate(template: SourceFile): hbs.AST.Program {
  try {
    // as read, before Handlebars strips the white space around blocks, which compiling does
    return Handlebars.parseWithoutProcessing(template.text);
  } catch (error) {
    const message = (error as Error).message;
    // "Parse error on line 3: …", or "if doesn't match unless - 3:0"
    const line = (/on line (\d+)/.exec(message) ?? / - (\d+):\d+$/.exec(message))?.[1];
    // Handlebars shows the text around the fault on its message's second line, a ^ under it on the third
    const [, context = '', pointer = ''] = message.split('\n');
    const at = pointer.indexOf('^');
    const near = (at === -1 ? context : context.slice(Math.max(0, at - 40), at + 1))
      .replace(/^\.\.\./, '')
      .trim();
    const block = unbalancedBlock(template.text);
    if (block) throw new InputError(template.path, block.line, block.problem, block.hint);
    throw new InputError(
      template.path,
      line ? Number(line) : undefined,
      `template syntax error${near ? ` near ${JSON.stringify(near)}` : ''}`,
      'check that every {{ is closed by }} and every {{#block}} by its {{/block}}',
    );
  }
}

/** One helper call of a template that printed a digit: what it was asked and what it printed. */
export interface PrintedFigure {
  helper: string;
  args: string[];
  hash: Record<string, unknown>;
  /** The Markdown it printed. */
  text: string;
  /** Its line in the template. */
  line?: number;
}

/** The helpers, each call that prints a digit told to `onFigure` (the build publishes them for `report audit`). */
function recording(
  helpers: Record<string, (...args: unknown[]) => string>,
  onFigure: ((figure: PrintedFigure) => void) | undefined,
): Record<string, (...args: unknown[]) => string> {
  if (!onFigure) return helpers;
  return Object.fromEntries(
    Object.entries(helpers).map(([name, helper]) => [
      name,
      (...raw: unknown[]) => {
        const text = helper(...raw);
        if (/\d/.test(text)) {
          const options = raw[raw.length - 1] as HelperOptions & {
            loc?: { start: { line: number } };
          };
          onFigure({
            helper: name,
            args: raw.slice(0, -1).map(String),
            hash: { ...(options?.hash ?? {}) },
            text,
            line: options?.loc?.start.line,
          });
        }
        return text;
      },
    ]),
  );
}

/**
 * The block that makes a template unparsable, at its own line: a {{#block}} never closed (the
 * parser reports those at the end of the file), or a {{/block}} that closes another one.
 */
export function unbalancedBlock(
  source: string,
): { line: number; problem: string; hint: string } | undefined {
  const stack: { name: string; line: number }[] = [];
  const lineAt = (index: number) => (source.slice(0, index).match(/\n/g)?.length ?? 0) + 1;
  // comments hide what they hold; a raw {{{{block}}}} is left to the parser
  const tag = /\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}|\{\{~?([#/^])\s*([^\s}~]+)/g;
  for (let m = tag.exec(source); m; m = tag.exec(source)) {
    const [, sigil, name] = m;
    if (!sigil || !name) continue;
    if (sigil === '#' || (sigil === '^' && name !== '}')) {
      stack.push({ name: name.replace(/^[*>]/, ''), line: lineAt(m.index) });
      continue;
    }
    if (sigil !== '/') continue;
    const open = stack.pop();
    if (!open)
      return {
        line: lineAt(m.index),
        problem: `{{/${name}}} closes a block that was never opened`,
        hint: `remove it, or open the block with {{#${name} …}}`,
      };
    if (open.name !== name)
      return {
        line: lineAt(m.index),
        problem: `{{/${name}}} closes {{#${open.name}}}, opened on line ${open.line}`,
        hint: `close {{#${open.name}}} with {{/${open.name}}} first`,
      };
  }
  const open = stack.pop();
  if (open)
    return {
      line: open.line,
      problem: `{{#${open.name}}} is never closed`,
      hint: `close it with {{/${open.name}}}`,
    };
  return undefined;
}

/**
 * Checks and fills a template: Markdown out, every figure from a helper. `compiled` keeps
 * compiled templates between builds (compiling is most of a render's time).
 */
export function renderTemplate(
  template: SourceFile,
  ctx: TemplateContext,
  compiled: Map<string, HandlebarsTemplateDelegate> = new Map(),
  onFigure?: (figure: PrintedFigure) => void,
): string {
  const helpers = recording(createHelpers({ ...ctx, template: template.path }), onFigure);
  const names = Object.keys(helpers).sort();
  const key = `${template.path}\n${names.join(',')}\n${template.text}`;
  try {
    let run = compiled.get(key);
    if (!run) {
      // compiled from the tree the checks read: parsed once
      run = Handlebars.create().compile(lintTemplate(template), {
        strict: true,
        knownHelpers: Object.fromEntries(names.map((name) => [name, true])),
        knownHelpersOnly: true,
        noEscape: true,
      });
      compiled.set(key, run);
      trim(compiled, 8);
    }
    // the helpers hold this build's figures: given at each run, not compiled in
    return run({}, { helpers });
  } catch (error) {
    if (error instanceof InputError) throw error;
    const message = (error as Error).message;
    const unknown = /unknown helper (\S+)/.exec(message);
    const at = / - (\d+):\d+$/.exec(message);
    const line = at ? Number(at[1]) : undefined;
    if (unknown)
      throw new InputError(
        template.path,
        line,
        `unknown helper "${unknown[1]}"`,
        `helpers: ${Object.keys(helpers).sort().join(', ')}`,
      );
    const missing = /"([^"]+)" not defined/.exec(message);
    if (missing)
      throw new InputError(
        template.path,
        line,
        `"${missing[1]}" is not a helper or value`,
        'helpers take their arguments in quotes, e.g. {{pct "question" "option"}}',
      );
    throw new InputError(template.path, line, `template error: ${message.split('\n')[0]}`);
  }
}
