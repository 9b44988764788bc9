import { z } from 'zod';

/**
 * The words of the question types' tables and charts. Optional in templates/strings.yaml for a
 * language without built-in strings: a helper that needs one that is missing says which.
 */
export const typeStringsSchema = z.strictObject({
  frequency: z.string().optional(),
  percentOfAll: z.string().optional(),
  validPercent: z.string().optional(),
  cumulativePercent: z.string().optional(),
  valid: z.string().optional(),
  missingSystem: z.string().optional(),
  ofRespondents: z.string().optional(),
  ofResponses: z.string().optional(),
  multipleNote: z.string().optional(),
  perRespondent: z.string().optional(),
  statistic: z.string().optional(),
  value: z.string().optional(),
  mean: z.string().optional(),
  sd: z.string().optional(),
  median: z.string().optional(),
  q1: z.string().optional(),
  q3: z.string().optional(),
  minimum: z.string().optional(),
  maximum: z.string().optional(),
  answered: z.string().optional(),
  moreAnswers: z.string().optional(),
  noAnswers: z.string().optional(),
  respondents: z.string().optional(),
  percentOfRespondents: z.string().optional(),
  likertDescription: z.string().optional(),
  histogramDescription: z.string().optional(),
  multipleDescription: z.string().optional(),
  percentOfAllNote: z.string().optional(),
  /** study.disclosure: the notes under a summary and in place of open answers; {min} is min_cell. */
  extremesWithheld: z.string().optional(),
  summaryWithheld: z.string().optional(),
  answersWithheld: z.string().optional(),
});

export type TypeStrings = z.infer<typeof typeStringsSchema>;

export const builtInTypeStrings: Record<string, Required<TypeStrings>> = {
  es: {
    frequency: 'Frecuencia',
    percentOfAll: 'Porcentaje',
    validPercent: 'Porcentaje válido',
    cumulativePercent: 'Porcentaje acumulado',
    valid: 'Válido',
    missingSystem: 'Perdidos',
    ofRespondents: '% de encuestados',
    ofResponses: '% de respuestas',
    multipleNote:
      'Cada encuestado podía marcar varias opciones: los porcentajes de encuestados pueden sumar más de 100 %.',
    perRespondent: 'Opciones marcadas por encuestado: media {mean}, mediana {median}.',
    statistic: 'Estadístico',
    value: 'Valor',
    mean: 'Media',
    sd: 'Desviación estándar',
    median: 'Mediana',
    q1: 'Primer cuartil',
    q3: 'Tercer cuartil',
    minimum: 'Mínimo',
    maximum: 'Máximo',
    answered: 'Respondieron',
    moreAnswers: 'Y {count} respuestas más, no mostradas aquí.',
    noAnswers: 'Ninguna respuesta.',
    respondents: 'Encuestados',
    percentOfRespondents: 'Porcentaje de encuestados',
    likertDescription: 'Gráfico de barras divergentes: {question}. {parts}.',
    histogramDescription: 'Histograma: {question}. {parts}.',
    multipleDescription:
      'Gráfico de barras, opciones ordenadas por frecuencia: {question}. {parts}.',
    percentOfAllNote: 'Porcentajes del total de encuestados, sin respuesta incluidos.',
    extremesWithheld:
      '«—»: el mínimo y el máximo no se publican, porque cada uno es la respuesta de una persona.',
    summaryWithheld:
      '«—»: no se publica, para proteger a quienes respondieron (menos de {min} respuestas, o cifras de las que se deducirían conteos no publicados).',
    answersWithheld:
      'Menos de {min} personas respondieron: sus respuestas no se publican, para protegerlas.',
  },
  en: {
    frequency: 'Frequency',
    percentOfAll: 'Percent',
    validPercent: 'Valid percent',
    cumulativePercent: 'Cumulative percent',
    valid: 'Valid',
    missingSystem: 'Missing',
    ofRespondents: '% of respondents',
    ofResponses: '% of responses',
    multipleNote:
      'Respondents could choose several options: the percentages of respondents may add up to more than 100 %.',
    perRespondent: 'Options chosen per respondent: mean {mean}, median {median}.',
    statistic: 'Statistic',
    value: 'Value',
    mean: 'Mean',
    sd: 'Standard deviation',
    median: 'Median',
    q1: 'First quartile',
    q3: 'Third quartile',
    minimum: 'Minimum',
    maximum: 'Maximum',
    answered: 'Answered',
    moreAnswers: 'And {count} more answers, not shown here.',
    noAnswers: 'No answers.',
    respondents: 'Respondents',
    percentOfRespondents: 'Share of respondents',
    likertDescription: 'Diverging bar chart: {question}. {parts}.',
    histogramDescription: 'Histogram: {question}. {parts}.',
    multipleDescription: 'Bar chart, options sorted by share: {question}. {parts}.',
    percentOfAllNote: 'Percentages of all respondents, blanks included.',
    extremesWithheld: '“—”: the minimum and maximum are withheld: each is one respondent’s answer.',
    summaryWithheld:
      '“—”: withheld to protect the respondents (fewer than {min} answers, or figures from which withheld counts could be worked out).',
    answersWithheld:
      'Fewer than {min} people answered: their answers are withheld to protect them.',
  },
};
