/**
 * An error in what the user gave us (a data file, the codebook, the claims, a
 * template). It always names the file and, where known, the line, and prints
 * as one line: `file:line: what is wrong (how to fix it)`.
 */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly problem: string,
    readonly hint?: string,
  ) {
    super(formatInputError(file, line, problem, hint));
  }
}

/**
 * Several input errors found in one pass (every schema problem of a file), each printed on its
 * own line; the first stands for them all where one is enough.
 */
export class InputErrors extends InputError {
  override name = 'InputErrors';
  constructor(readonly errors: readonly InputError[]) {
    const first = errors[0] as InputError;
    super(first.file, first.line, first.problem, first.hint);
    this.message = errors.map((e) => e.message).join('\n');
  }
}

/** Throws the errors found, as one (a single error as itself); nothing when there are none. */
export function throwAll(errors: readonly InputError[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new InputErrors(errors);
}

export function formatInputError(
  file: string,
  line: number | undefined,
  problem: string,
  hint?: string,
): string {
  const where = line === undefined ? file : `${file}:${line}`;
  const text = hint ? `${problem} (${hint})` : problem;
  return escapeInvisible(`${where}: ${text.replace(/\s*\n\s*/g, ' ')}`);
}

/**
 * Characters that do not show as themselves on a terminal: controls (an escape sequence can
 * clear the screen or retitle the window), format characters (zero-width spaces and joiners,
 * right-to-left overrides and isolates, the byte order mark), line and paragraph separators,
 * lone surrogates, private-use and unassigned code points, and every space but U+0020.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/gu;

/** Text as it may be printed in a message: every invisible character written as an escape (`\u200b`, `\x1b`). */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    if (c === ' ') return c;
    const code = c.codePointAt(0) as number;
    if (c === '\t') return '\\t';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
    if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`;
    return `\\u{${code.toString(16)}}`;
  });
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}

/** A file that cannot be read, as an input error: `path` as the user knows it, `root` where it was looked for. */
export function readError(error: unknown, path: string, root?: string): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new InputError(
      path,
      undefined,
      'file not found',
      root ? `looked in ${root}` : undefined,
    );
  if (code === 'EISDIR') return new InputError(path, undefined, 'is a folder, expected a file');
  return new InputError(path, undefined, `cannot be read (${code ?? 'unknown error'})`);
}
