import { z } from 'zod';
import { typeStringsSchema } from './type-strings.js';

/**
 * The words a report's machinery needs in each language: table headers, captions,
 * statuses, the page's navigation. Built in for Spanish and English; a study adds or
 * overrides languages in `templates/strings.yaml`. `{name}` placeholders are filled in where
 * they appear: `{level}` with the confidence level in the locale's form ("95%", "95 %").
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
  /** Caption of a question's frequency table: `{question}` (its short title), `{n}`. */
  tableCaption: z.string(),
  /** Caption of a question's chart. */
  figureCaption: z.string(),
  contents: z.string(),
  skipToContent: z.string(),
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
  /** The name of the navigation that holds the language switch and the PDF link. */
  languageNav: z.string(),
  reconstruction: z.string(),
  /** One sentence on every page and the PDF's title page when the data are a reconstruction. */
  reconstructionNotice: z.string(),
  /** A pointer to the section that says more: `{section}` is its title. */
  seeSection: z.string(),
  /** The heading of a page's footnotes (read by screen readers), and each note's link back. */
  footnotes: z.string().optional(),
  backToReference: z.string().optional(),
  chooseLanguage: z.string(),
  pdf: z.string(),
  /** The link to the Word file (`--format docx`); a study's own language may leave it out. */
  docx: z.string().optional(),
  authors: z.string(),
  /** Said when the codebook names no author (the source does not). */
  authorsUnknown: z.string(),
  reportDate: z.string(),
  version: z.string(),
  howToCite: z.string(),
  /** APA 7 descriptions in square brackets: a thesis, and this report. */
  thesis: z.string(),
  reproducibleReport: z.string(),
  /** A work without a date (APA 7: "s. f.", "n.d."). */
  undated: z.string(),
  /** Read no more (the citation style's locale joins authors' names); older strings files keep it. */
  and: z.string().optional(),
  dataFiles: z.string(),
  dataFileNames: z.strictObject({
    responses: z.string(),
    codebook: z.string(),
    claims: z.string(),
    results: z.string(),
    verification: z.string(),
    manifest: z.string(),
    charts: z.string(),
    /** Optional, for a language whose strings a study gives: listed only when named. */
    figures: z.string().optional(),
    citation: z.string().optional(),
  }),
  /** The note under a table with suppressed cells (study.disclosure); {min} is min_cell. */
  suppressed: z.string().optional(),
  /** Said of the counts beside a weighted share (study.data.weight): they are not weighted. */
  unweighted: z.string().optional(),
  ...typeStringsSchema.shape,
});

export type Strings = z.infer<typeof stringsSchema>;

export const builtInStrings: Record<string, Strings> = {
  es: {
    option: 'Opción',
    count: 'n',
    percent: '%',
    percentOfAnswers: 'Porcentaje de respuestas',
    interval: 'IC {level}',
    intervalNote: 'Las líneas marcan el intervalo de confianza de Wilson al {level}.',
    total: 'Total',
    missing: 'Sin respuesta',
    figure: 'Figura',
    table: 'Tabla',
    tableCaption: '{question}: respuestas por opción (n = {n})',
    figureCaption: '{question}: porcentaje de respuestas por opción, con su IC {level}',
    contents: 'Índice',
    skipToContent: 'Ir al texto del informe',
    verification: 'Verificación de las cifras publicadas',
    claim: 'Afirmación publicada',
    reported: 'Publicado',
    recomputed: 'Recalculado',
    status: 'Estado',
    pass: 'verificada',
    fail: 'NO SE VERIFICA',
    all: 'todos',
    sumsTo: 'Los porcentajes publicados de «{question}» suman el total',
    chartDescription: 'Gráfico de barras horizontales: {question}. {parts}.',
    page: 'Página',
    languageNav: 'Idioma y formatos',
    reconstruction: 'Datos reconstruidos',
    reconstructionNotice:
      'Las respuestas individuales nunca se publicaron: las cifras de este informe se calculan a partir de una reconstrucción que reproduce las frecuencias publicadas.',
    seeSection: 'Véase «{section}».',
    footnotes: 'Notas',
    backToReference: 'Volver a la llamada {n}',
    chooseLanguage: 'Leer el informe en español',
    pdf: 'Descargar PDF',
    docx: 'Descargar Word',
    authors: 'Autoría',
    authorsUnknown: 'la fuente no consigna el nombre del autor',
    reportDate: 'Fecha del informe',
    version: 'Versión',
    howToCite: 'Cómo citar',
    thesis: 'Tesis',
    reproducibleReport: 'Informe reproducible',
    undated: 's. f.',
    dataFiles: 'Archivos de datos',
    dataFileNames: {
      responses: 'Respuestas (CSV)',
      codebook: 'Libro de códigos (YAML)',
      claims: 'Cifras publicadas que se verifican (YAML)',
      results: 'Resultados completos (JSON)',
      verification: 'Verificación (JSON)',
      manifest: 'Manifiesto con la huella de cada archivo (JSON)',
      charts: 'Especificación Vega-Lite de cada gráfico',
      figures: 'Cada cifra de las páginas con el cálculo que la produce (JSON)',
      citation: 'Cómo citar el informe y sus datos (Citation File Format)',
    },
    suppressed:
      '«< {min}»: menos de {min} respuestas, o una cifra de la que se deducirían; no se publica para proteger a quienes respondieron.',
    unweighted: 'sin ponderar',
  },
  en: {
    option: 'Option',
    count: 'n',
    percent: '%',
    percentOfAnswers: 'Share of answers',
    interval: '{level} CI',
    intervalNote: 'Lines mark the {level} Wilson confidence interval.',
    total: 'Total',
    missing: 'No answer',
    figure: 'Figure',
    table: 'Table',
    tableCaption: '{question}: answers by option (n = {n})',
    figureCaption: '{question}: share of answers by option, with its {level} CI',
    contents: 'Contents',
    skipToContent: 'Skip to the report',
    verification: 'Verification of the published figures',
    claim: 'Published claim',
    reported: 'Reported',
    recomputed: 'Recomputed',
    status: 'Status',
    pass: 'verified',
    fail: 'DOES NOT VERIFY',
    all: 'all',
    sumsTo: 'The published percentages of “{question}” add up to the whole',
    chartDescription: 'Horizontal bar chart: {question}. {parts}.',
    page: 'Page',
    languageNav: 'Language and formats',
    reconstruction: 'Reconstructed data',
    reconstructionNotice:
      'The individual responses were never published: the figures in this report are computed from a reconstruction that reproduces the published frequencies.',
    seeSection: 'See “{section}”.',
    footnotes: 'Notes',
    backToReference: 'Back to reference {n}',
    chooseLanguage: 'Read the report in English',
    pdf: 'Download the PDF',
    docx: 'Download the Word file',
    authors: 'Author',
    authorsUnknown: 'the source does not give the author’s name',
    reportDate: 'Report date',
    version: 'Version',
    howToCite: 'How to cite',
    thesis: 'Thesis',
    reproducibleReport: 'Reproducible report',
    undated: 'n.d.',
    dataFiles: 'Data files',
    dataFileNames: {
      responses: 'Responses (CSV)',
      codebook: 'Codebook (YAML)',
      claims: 'Published figures under verification (YAML)',
      results: 'Full results (JSON)',
      verification: 'Verification (JSON)',
      manifest: 'Manifest with the fingerprint of every file (JSON)',
      charts: 'Vega-Lite specification of each chart',
      figures: 'Every figure of the pages with the computation that gives it (JSON)',
      citation: 'How to cite the report and its data (Citation File Format)',
    },
    suppressed:
      '“< {min}”: fewer than {min} answers, or a figure from which they could be worked out; withheld to protect the respondents.',
    unweighted: 'unweighted',
  },
};

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
