/** The words a report's machinery needs in each language: table headers, captions, statuses. */
export interface Strings {
  option: string;
  count: string;
  percent: string;
  percentOfAnswers: string;
  verification: string;
  interval: string;
  total: string;
  missing: string;
  figure: string;
  table: string;
  contents: string;
  claim: string;
  reported: string;
  recomputed: string;
  status: string;
  pass: string;
  fail: string;
  all: string;
  sumsTo: (question: string) => string;
  chartDescription: (question: string, parts: string[]) => string;
  intervalNote: string;
  page: string;
  otherLanguage: string;
  reconstruction: string;
  chooseLanguage: string;
  pdf: string;
}

export const builtInStrings: Record<string, Strings> = {
  es: {
    option: 'Opción',
    count: 'n',
    percent: '%',
    percentOfAnswers: 'Porcentaje de respuestas',
    verification: 'Verificación de las cifras publicadas',
    interval: 'IC 95 %',
    total: 'Total',
    missing: 'Sin respuesta',
    figure: 'Figura',
    table: 'Tabla',
    contents: 'Contenido',
    claim: 'Afirmación publicada',
    reported: 'Publicado',
    recomputed: 'Recalculado',
    status: 'Estado',
    pass: 'verificada',
    fail: 'NO VERIFICA',
    all: 'todos',
    sumsTo: (question) => `Los porcentajes publicados de «${question}» suman el total`,
    chartDescription: (question, parts) =>
      `Gráfico de barras horizontales: ${question}. ${parts.join('; ')}.`,
    intervalNote: 'Intervalo de confianza de Wilson al 95 %.',
    page: 'Página',
    otherLanguage: 'Leer en',
    reconstruction: 'Datos reconstruidos',
    chooseLanguage: 'Elija un idioma',
    pdf: 'Descargar PDF',
  },
  en: {
    option: 'Option',
    count: 'n',
    percent: '%',
    percentOfAnswers: 'Share of answers',
    verification: 'Verification of the published figures',
    interval: '95 % CI',
    total: 'Total',
    missing: 'No answer',
    figure: 'Figure',
    table: 'Table',
    contents: 'Contents',
    claim: 'Published claim',
    reported: 'Reported',
    recomputed: 'Recomputed',
    status: 'Status',
    pass: 'verified',
    fail: 'DOES NOT VERIFY',
    all: 'all',
    sumsTo: (question) => `The published percentages of "${question}" add up to the whole`,
    chartDescription: (question, parts) =>
      `Horizontal bar chart: ${question}. ${parts.join('; ')}.`,
    intervalNote: '95 % Wilson confidence interval.',
    page: 'Page',
    otherLanguage: 'Read in',
    reconstruction: 'Reconstructed data',
    chooseLanguage: 'Choose a language',
    pdf: 'Download PDF',
  },
};

export function stringsFor(lang: string): Strings {
  return builtInStrings[lang] ?? (builtInStrings.en as Strings);
}
