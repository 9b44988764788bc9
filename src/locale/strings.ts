import { z } from 'zod';

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
  },
};

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
