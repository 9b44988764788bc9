import { z } from 'zod';
import { InputError } from '../errors.js';
import { parseYamlWith } from '../load/yaml.js';
import { builtInTypeStrings, typeStringsSchema } from './type-strings.js';

/**
 * The words a report's machinery needs in each language: table headers, captions,
 * statuses. Built in for Spanish and English; a study adds or overrides languages in
 * `templates/strings.yaml`. `{question}` and `{parts}` are filled in where they appear.
 */
export const stringsSchema = z.strictObject({
  option: z.string(),
  count: z.string(),
  percent: z.string(),
  percentOfAnswers: z.string(),
  interval: z.string(),
  intervalNote: z.string(),
  total: z.string(),
  missing: z.string(),
  figure: z.string(),
  table: z.string(),
  contents: z.string(),
  verification: z.string(),
  claim: z.string(),
  reported: z.string(),
  recomputed: z.string(),
  status: z.string(),
  pass: z.string(),
  fail: z.string(),
  all: z.string(),
  sumsTo: z.string(),
  chartDescription: z.string(),
  page: z.string(),
  otherLanguage: z.string(),
  reconstruction: z.string(),
  chooseLanguage: z.string(),
  pdf: z.string(),
  /** The note under a table with suppressed cells (study.disclosure); {min} is min_cell. */
  suppressed: z.string().optional(),
  ...typeStringsSchema.shape,
});

export type Strings = z.infer<typeof stringsSchema>;

export const builtInStrings: Record<string, Strings> = {
  es: {
    option: 'Opción',
    count: 'n',
    percent: '%',
    percentOfAnswers: 'Porcentaje de respuestas',
    interval: 'IC 95 %',
    intervalNote: 'Intervalo de confianza de Wilson al 95 %.',
    total: 'Total',
    missing: 'Sin respuesta',
    figure: 'Figura',
    table: 'Tabla',
    contents: 'Contenido',
    verification: 'Verificación de las cifras publicadas',
    claim: 'Afirmación publicada',
    reported: 'Publicado',
    recomputed: 'Recalculado',
    status: 'Estado',
    pass: 'verificada',
    fail: 'NO VERIFICA',
    all: 'todos',
    sumsTo: 'Los porcentajes publicados de «{question}» suman el total',
    chartDescription: 'Gráfico de barras horizontales: {question}. {parts}.',
    page: 'Página',
    otherLanguage: 'Leer en',
    reconstruction: 'Datos reconstruidos',
    chooseLanguage: 'Leer el informe',
    pdf: 'Descargar PDF',
    suppressed:
      '«< {min}»: menos de {min} respuestas, o una cifra de la que se deducirían; no se publica para proteger a quienes respondieron.',
  },
  en: {
    option: 'Option',
    count: 'n',
    percent: '%',
    percentOfAnswers: 'Share of answers',
    interval: '95 % CI',
    intervalNote: '95 % Wilson confidence interval.',
    total: 'Total',
    missing: 'No answer',
    figure: 'Figure',
    table: 'Table',
    contents: 'Contents',
    verification: 'Verification of the published figures',
    claim: 'Published claim',
    reported: 'Reported',
    recomputed: 'Recomputed',
    status: 'Status',
    pass: 'verified',
    fail: 'DOES NOT VERIFY',
    all: 'all',
    sumsTo: 'The published percentages of "{question}" add up to the whole',
    chartDescription: 'Horizontal bar chart: {question}. {parts}.',
    page: 'Page',
    otherLanguage: 'Read in',
    reconstruction: 'Reconstructed data',
    chooseLanguage: 'Read the report',
    pdf: 'Download PDF',
    suppressed:
      '“< {min}”: fewer than {min} answers, or a figure from which they could be worked out; withheld to protect the respondents.',
  },
};

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

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
