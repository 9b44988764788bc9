import { relative } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors.js';

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
  const raw = doc.toJS();
  const parsed = schema.safeParse(prepare ? prepare(raw, lineOf) : raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).filter(
      (p): p is string | number => typeof p === 'string' || typeof p === 'number',
    );
    const where = path.length ? `at ${path.join('.')}: ` : '';
    const { problem, hint } = describeIssue(issue, doc.getIn(path));
    throw new InputError(file, lineOf(path), `${where}${problem}`, hint);
  }
  return { value: parsed.data, lineOf };
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
