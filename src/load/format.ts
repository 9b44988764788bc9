import { InputError } from '../errors.js';

/** The format of each file the tool reads; a file says which it was written in with `format: N`. */
export const FORMAT = { codebook: 1, claims: 1 } as const;

export type FormatKind = keyof typeof FORMAT;

/** A change of layout from one format to the next, applied in memory to a file of the older one. */
interface Migration {
  /** The format it migrates from (0: a file written before formats were numbered). */
  from: number;
  /** Rewrites the parsed file in place; returns what it changed, in words (nothing: empty). */
  migrate: (file: Record<string, unknown>) => string[];
}

const MIGRATIONS: Record<FormatKind, Migration[]> = {
  codebook: [
    {
      from: 0,
      migrate(file) {
        const study = file.study as Record<string, unknown> | undefined;
        if (!study || typeof study.author !== 'string' || 'authors' in study) return [];
        const name = study.author;
        const comma = name.indexOf(',');
        study.authors = [
          comma === -1
            ? { family: name.trim() }
            : { family: name.slice(0, comma).trim(), given: name.slice(comma + 1).trim() },
        ];
        delete study.author;
        return [
          `study.author ("${name}") is now study.authors, a list of { family, given, orcid }`,
        ];
      },
    },
  ],
  claims: [],
};

/**
 * Reads a file's `format:` and brings an older file to the current format in memory. A newer
 * format is an error (this version cannot know what changed); a file without `format:` is of
 * the layout before formats were numbered, the same as format 1 but for what the migrations
 * say. Each change made is told to `warn`, naming the file and what changed.
 */
export function upgradeFormat(
  raw: unknown,
  kind: FormatKind,
  file: string,
  lineOf: (path: (string | number)[]) => number | undefined,
  warn?: (message: string) => void,
): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const value = raw as Record<string, unknown>;
  const current = FORMAT[kind];
  const given = value.format;
  if (given !== undefined && (typeof given !== 'number' || !Number.isInteger(given) || given < 1))
    throw new InputError(
      file,
      lineOf(['format']),
      `format must be a whole number, got ${JSON.stringify(given)}`,
      `this version writes format: ${current}`,
    );
  const from = (given as number | undefined) ?? 0;
  if (from > current)
    throw new InputError(
      file,
      lineOf(['format']),
      `format ${from} is newer than this version of survey-report reads (format ${current})`,
      'install a newer survey-report (npm install -g survey-report@latest)',
    );
  const changes: string[] = [];
  for (const migration of MIGRATIONS[kind])
    if (migration.from >= from && migration.from < current)
      changes.push(...migration.migrate(value));
  value.format = current;
  if (changes.length > 0)
    warn?.(
      `${file}: ${given === undefined ? 'no "format:"' : `format ${from}`}, read as format ${current}: ${changes.join('; ')} (add "format: ${current}" and update the file to keep this from showing)`,
    );
  return value;
}
