/** The words of cross-tabulations and their tests, per language. */
export interface GroupStrings {
  /** The χ² line: {df}, {chi}, {p}, {v}. */
  chiSquare: string;
  fisher: string;
  mannWhitney: string;
  /** The warning on low expected counts: {share}, {min}. */
  lowExpected: string;
  columnPercent: string;
  rowPercent: string;
  totalPercent: string;
  multipleNote: string;
  weightedNote: string;
  /** A grouped chart's caption: {question}, {group}. */
  chartCaption: string;
  /** Under a weighted frequency table: {neff}, {deff}. */
  weightedTableNote: string;
  /** The unweighted base beside a weighted share. */
  unweightedN: string;
  or: string;
  /** Refusals on reconstructed data. */
  reconstruction: string;
  /** In place of the test line of a table with withheld cells (study.disclosure). */
  testWithheld: string;
}

export const groupStrings: Record<string, GroupStrings> = {
  es: {
    chiSquare: 'χ²({df}) = {chi}, {p}; V de Cramér = {v}',
    fisher: 'Prueba exacta de Fisher: {p}',
    mannWhitney: 'U de Mann-Whitney = {u}, z = {z}, {p}',
    lowExpected:
      'El {share} de las frecuencias esperadas es menor que 5 (la menor, {min}): la aproximación χ² no es fiable.',
    columnPercent: 'Recuentos y porcentajes de cada columna.',
    rowPercent: 'Recuentos y porcentajes de cada fila.',
    totalPercent: 'Recuentos y porcentajes del total.',
    multipleNote:
      'Cada encuestado podía marcar varias opciones: cada opción es una fila, con el porcentaje de los encuestados del grupo.',
    weightedNote:
      'Porcentajes ponderados; recuentos sin ponderar. n efectiva (Kish) {neff}, efecto de diseño {deff}.',
    chartCaption: '{question} por {group}: porcentaje de las respuestas de cada grupo, por opción',
    weightedTableNote:
      'Porcentajes ponderados; recuentos sin ponderar. Intervalos de Wilson sobre la n efectiva (Kish) de {neff}; efecto de diseño {deff}.',
    unweightedN: 'sin ponderar',
    or: 'o',
    testWithheld:
      'La prueba de independencia no se muestra: con los totales de la tabla, su valor permitiría deducir las celdas no publicadas.',
    reconstruction:
      'los datos de este estudio son una reconstrucción a partir de las frecuencias publicadas (cada columna barajada por separado): un cruce de preguntas o un subgrupo no significaría nada',
  },
  en: {
    chiSquare: 'χ²({df}) = {chi}, {p}; Cramér’s V = {v}',
    fisher: 'Fisher’s exact test: {p}',
    mannWhitney: 'Mann-Whitney U = {u}, z = {z}, {p}',
    lowExpected:
      '{share} of the expected counts are below 5 (the smallest, {min}): the χ² approximation is not reliable.',
    columnPercent: 'Counts and percentages of each column.',
    rowPercent: 'Counts and percentages of each row.',
    totalPercent: 'Counts and percentages of the total.',
    multipleNote:
      'Respondents could choose several options: each option is a row, with the percentage of the group’s respondents.',
    weightedNote:
      'Weighted percentages; unweighted counts. Effective n (Kish) {neff}, design effect {deff}.',
    chartCaption: '{question} by {group}: percentage of each group’s answers, by option',
    weightedTableNote:
      'Weighted percentages; unweighted counts. Wilson intervals on the effective n (Kish) of {neff}; design effect {deff}.',
    unweightedN: 'unweighted',
    or: 'or',
    testWithheld:
      'The test of independence is not shown: with the table’s totals, its value would give the withheld cells back.',
    reconstruction:
      'this study’s data are a reconstruction from the published frequencies (each column shuffled on its own): a cross-tabulation or a subgroup would mean nothing',
  },
};
