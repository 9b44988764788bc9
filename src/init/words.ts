/** The words a drafted study needs, in the languages `report init` writes itself; others get the English ones to translate. */
export interface Words {
  results: string;
  general: string;
  population: string;
  title: (name: string) => string;
  subtitle: (file: string) => string;
  note: (file: string) => string;
  summary: string;
  summaryText: string;
  question: (id: string) => string;
  /** An open question: its answers are not published (they may identify people). */
  openText: (id: string) => string;
  verification: string;
  verificationText: string;
}

export const WORDS: Record<string, Words> = {
  es: {
    results: 'Resultados',
    general: 'General',
    population: 'personas encuestadas',
    title: (name) => `Encuesta: ${name}`,
    subtitle: (file) => `Informe preliminar a partir de ${file}`,
    note: (file) => `Respuestas originales, leídas de ${file}.`,
    summary: 'Resumen',
    summaryText:
      'Respondieron {{n}} personas. Cada una de las {{question-count}} preguntas se presenta con su tabla de frecuencias (respuestas, porcentaje de quienes respondieron e intervalo de confianza de Wilson al {{confidence}}) y su gráfico.',
    question: (id) =>
      `{{question "${id}"}} Respondieron {{n "${id}"}} personas; {{missing "${id}"}} sin respuesta.`,
    openText: (id) =>
      `Las respuestas abiertas no se publican (pueden identificar a las personas); para mostrarlas, ponga \`publish: true\` en la pregunta "${id}" del libro de códigos y muéstrelas con el ayudante \`answers\`.`,
    verification: 'Verificación de las cifras publicadas',
    verificationText:
      'De las {{claims-total}} cifras publicadas que se comprueban, {{claims-passed}} se verifican y {{claims-failed}} no.',
  },
  en: {
    results: 'Results',
    general: 'General',
    population: 'respondents',
    title: (name) => `Survey: ${name}`,
    subtitle: (file) => `Draft report from ${file}`,
    note: (file) => `Original responses, read from ${file}.`,
    summary: 'Summary',
    summaryText:
      '{{n}} people responded. Each of the {{question-count}} questions is shown with its frequency table (answers, percentage of those who answered and {{confidence}} Wilson confidence interval) and its chart.',
    question: (id) =>
      `{{question "${id}"}} {{n "${id}"}} people answered; {{missing "${id}"}} gave no answer.`,
    openText: (id) =>
      `The open answers are not published (they may identify people); to show them, set \`publish: true\` on question "${id}" in the codebook and list them with the \`answers\` helper.`,
    verification: 'Verification of the published figures',
    verificationText:
      'Of the {{claims-total}} published figures checked, {{claims-passed}} verify and {{claims-failed}} do not.',
  },
};

/** The words of a language, and whether they are its own (else English, to translate). */
export function wordsOf(lang: string): { words: Words; own: boolean } {
  const own = WORDS[lang];
  return own ? { words: own, own: true } : { words: WORDS.en as Words, own: false };
}

const LOCALES: Record<string, string> = {
  es: 'es-PE',
  en: 'en-US',
  pt: 'pt-BR',
  fr: 'fr-FR',
  de: 'de-DE',
  it: 'it-IT',
  qu: 'qu-PE',
};

/** A language's locale and its name in itself ("Español"). */
export function languageOf(code: string): { code: string; locale: string; name: string } {
  let name = code;
  try {
    name = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
  } catch {
    // an unknown code keeps its code as its name
  }
  return {
    code,
    locale: LOCALES[code] ?? code,
    name: name.charAt(0).toLocaleUpperCase(code) + name.slice(1),
  };
}
