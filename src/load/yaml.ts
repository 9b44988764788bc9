import { relative } from 'node:path';
import { type Document, isMap, isNode, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import type { z } from 'zod';
import { InputError, throwAll } from '../errors.js';

/** A YAML file parsed and checked against a schema; errors point at the offending key. */
export function parseYamlWith<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  /** Applied to the parsed file before it is checked (e.g. a format migration). */
  prepare?: (raw: unknown, lineOf: (path: (string | number)[]) => number | undefined) => unknown,
): { value: z.infer<S>; lineOf: (path: readonly (string | number)[]) => number | undefined } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0].line;
    throw new InputError(file, line, `YAML syntax error: ${firstLine(first.message)}`);
  }
  const lineOf = (path: readonly (string | number)[]): number | undefined => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const controlAt = firstControlCharacter(doc);
  if (controlAt)
    throw new InputError(
      file,
      lineCounter.linePos(controlAt.offset).line,
      `${/[\ud800-\udfff]/.test(controlAt.char) ? 'a lone surrogate' : 'a control character'} (${controlAt.char}) in the text "${controlAt.text.slice(0, 60)}"`,
      'remove it: texts are printed in HTML and PDF, where it cannot be shown',
    );
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    const anchor = mostUsedAnchor(doc);
    throw new InputError(
      file,
      anchor ? lineCounter.linePos(anchor.offset).line : undefined,
      `the YAML aliases${anchor ? ` of &${anchor.name}` : ''} expand to more than ${MAX_ALIAS_COUNT} copies`,
      'write the repeated part out, or nest fewer aliases inside aliases',
    );
  }
  // jitless: the compiled fast path of a schema pays off only on many objects, and its code
  // (made with `new Function`) is compiled anew by every process; a study file is parsed once
  const parsed = schema.safeParse(prepare ? prepare(js, lineOf) : js, { jitless: true });
  if (!parsed.success) {
    // every problem of the file at once, in the order of its lines
    const errors = parsed.error.issues.map((issue) => {
      const path = issue.path.filter(
        (p): p is string | number => typeof p === 'string' || typeof p === 'number',
      );
      const where = path.length ? `at ${path.join('.')}: ` : '';
      const { problem, hint } = cutFlowMapping(doc, path) ?? describeIssue(issue, doc.getIn(path));
      return new InputError(file, lineOf(path), `${where}${problem}`, hint);
    });
    const seen = new Set<string>();
    throwAll(
      errors
        .map((e, i) => ({ e, i }))
        .sort((a, b) => (a.e.line ?? 0) - (b.e.line ?? 0) || a.i - b.i)
        .map(({ e }) => e)
        .filter((e) => !seen.has(e.message) && Boolean(seen.add(e.message))),
    );
  }
  return { value: parsed.data as z.infer<S>, lineOf };
}

/**
 * How many times aliases may be expanded in one file: a questionnaire whose hundreds of
 * questions share one `&likert` option list is legitimate; a "billion laughs" is not.
 */
export const MAX_ALIAS_COUNT = 10_000;

/**
 * Characters no text of a study may hold: C0 controls other than tab and line breaks, DEL,
 * C1 controls, lone surrogates and the non-characters U+FFFE and U+FFFF (HTML, SVG and the
 * PDF cannot print them; they only reach a YAML file through escapes or corruption).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|\p{Cs}/u;

function firstControlCharacter(
  doc: Document,
): { char: string; text: string; offset: number } | undefined {
  let found: { char: string; text: string; offset: number } | undefined;
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      const match = CONTROL.exec(node.value);
      if (!match) return;
      found = { char: match[0], text: node.value, offset: node.range?.[0] ?? 0 };
      return visit.BREAK;
    },
  });
  return found;
}

function mostUsedAnchor(doc: Document): { name: string; offset: number } | undefined {
  const uses = new Map<string, number>();
  visit(doc, {
    Alias(_key, node) {
      uses.set(node.source, (uses.get(node.source) ?? 0) + 1);
    },
  });
  const name = [...uses].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (name === undefined) return undefined;
  let offset: number | undefined;
  visit(doc, (_key, node) => {
    if (isNode(node) && node.anchor === name && node.range) {
      offset = node.range[0];
      return visit.BREAK;
    }
  });
  return offset === undefined ? undefined : { name, offset };
}

/**
 * A key with no value inside a flow mapping (`{ es: Regular, malo, en: Fair }`): an unquoted
 * comma ended the value before it, and the rest became a key of its own.
 */
function cutFlowMapping(
  doc: Document,
  path: readonly (string | number)[],
): { problem: string; hint: string } | undefined {
  const key = path[path.length - 1];
  if (typeof key !== 'string') return undefined;
  const parent = doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent) || !parent.flow) return undefined;
  const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
  if (!pair) return undefined;
  const value = pair.value;
  if (value !== null && !(isScalar(value) && value.value === null && value.source === ''))
    return undefined;
  return {
    problem: `"${key}" is the end of a text cut at a comma, left with no value`,
    hint: 'quote the value: a comma inside { } ends it',
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}

/** Path shown to users: relative to the study folder when inside it. */
export function displayPath(root: string, file: string): string {
  const rel = relative(root, file);
  return rel.startsWith('..') ? file : rel;
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return article(typeof value);
}

/** A schema issue as a sentence a study author can act on: what is wrong, and what would fix it. */
function describeIssue(
  issue: z.core.$ZodIssue | undefined,
  value: unknown,
): { problem: string; hint?: string } {
  if (!issue) return { problem: 'invalid content' };
  const key = issue.path[issue.path.length - 1];
  switch (issue.code) {
    case 'invalid_type': {
      const expected =
        issue.expected === 'array'
          ? 'list'
          : issue.expected === 'object'
            ? 'mapping'
            : issue.expected;
      if (value === undefined)
        return {
          problem: 'a required key is missing',
          hint: typeof key === 'string' ? `add ${key}:` : undefined,
        };
      return {
        problem: `expected ${article(expected)}, got ${typeOf(value)}`,
        hint: `write ${article(expected)} here`,
      };
    }
    case 'unrecognized_keys':
      return {
        problem: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
        hint: 'remove it or check its spelling',
      };
    case 'invalid_value':
      return {
        problem: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        hint: 'use one of them',
      };
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (options)
        return {
          problem: `expected one of ${options.map((v) => JSON.stringify(v)).join(', ')}`,
          hint: 'use one of them',
        };
      return { problem: issue.message };
    }
    default:
      return { problem: issue.message };
  }
}
