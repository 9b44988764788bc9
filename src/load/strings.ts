import { z } from 'zod';
import { InputError } from '../errors.js';
import { builtInStrings, type Strings, stringsSchema } from '../locale/strings.js';
import { builtInTypeStrings } from '../locale/type-strings.js';
import { parseYamlWith } from './yaml.js';

const overridesSchema = z.record(z.string(), stringsSchema.partial());

/**
 * The strings of every language of a study: built-in ones, overridden by the study's
 * `templates/strings.yaml` (if any), complete for each language or an error.
 */
export function resolveStrings(
  languages: readonly string[],
  file?: { path: string; text: string },
): Record<string, Strings> {
  const overrides = file ? parseYamlWith(file.text, file.path, overridesSchema).value : {};
  const result: Record<string, Strings> = {};
  for (const lang of languages) {
    const merged = { ...builtInStrings[lang], ...builtInTypeStrings[lang], ...overrides[lang] };
    const parsed = stringsSchema.safeParse(merged);
    if (!parsed.success) {
      const missing = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
      throw new InputError(
        file?.path ?? 'templates/strings.yaml',
        undefined,
        `no interface strings for language "${lang}": missing ${missing}`,
        `add them under "${lang}:" in templates/strings.yaml`,
      );
    }
    result[lang] = parsed.data;
  }
  return result;
}
