import { relative } from 'node:path';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors.js';

/** A YAML file parsed and checked against a schema; errors point at the offending key. */
export function parseYamlWith<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
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
  const parsed = schema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = (issue?.path ?? []).filter(
      (p): p is string | number => typeof p === 'string' || typeof p === 'number',
    );
    const where = path.length ? `at ${path.join('.')}: ` : '';
    throw new InputError(file, lineOf(path), `${where}${issue?.message ?? 'invalid content'}`);
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
