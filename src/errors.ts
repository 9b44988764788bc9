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
