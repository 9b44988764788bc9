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

export function formatInputError(
  file: string,
  line: number | undefined,
  problem: string,
  hint?: string,
): string {
  const where = line === undefined ? file : `${file}:${line}`;
  const text = hint ? `${problem} (${hint})` : problem;
  return `${where}: ${text.replace(/\s*\n\s*/g, ' ')}`;
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
