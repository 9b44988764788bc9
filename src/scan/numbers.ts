import type { TestType } from '../stats/tests.js';
import type { Segment } from './extract.js';
import { afterRatio, ratioBase, ratioOf, ratioWhy } from './ratios.js';
import type { Cell } from './tables.js';

/**
 * What a number is, decided from how it is printed and the words right around it, before any
 * check: only shares (and counts and sample sizes) are tested against the study's data.
 */
export type Kind =
  | 'share'
  | 'count'
  | 'n'
  | 'total'
  | 'mean'
  | 'test-statistic'
  | 'df'
  | 'p-value'
  | 'alpha'
  | 'coefficient'
  | 'rate'
  | 'range'
  | 'money'
  | 'measure'
  | 'year'
  | 'date'
  | 'reference'
  | 'ordinal'
  | 'interval-bound'
  | 'tolerance'
  | 'confidence-level'
  | 'ratio';

/** Kinds that are claims of a study's frequencies: the ones bound to claims and tested against a base. */
export const CLAIM_KINDS: ReadonlySet<Kind> = new Set(['share', 'count', 'n', 'total']);

/** A test as a text prints it: where its statistic, degrees of freedom and p-value stand. */
export interface PrintedTest {
  test: TestType;
  /** "t(28) = 2.20, p = .03" as printed. */
  printed: string;
  stat: string;
  statComparison: '=' | '<' | '>';
  df1?: string;
  df2?: string;
  p: string;
  pComparison: '=' | '<' | '>';
  /** The text says the test is one-tailed. */
  oneTailed: boolean;
}

/** A number as the text prints it. */
export interface Found {
  /** In a PDF, the page; line is then the line on it. */
  page?: number;
  line: number;
  column: number;
  /** Exactly as printed, e.g. "92.5%", "7,5", "30", "-15,2%". */
  printed: string;
  /** The value with a decimal point and its sign, e.g. "92.5", "-15.2". */
  value: string;
  /** Followed by a percent sign or word. */
  percentSign: boolean;
  /** Read as a percentage: it has a sign or decimals (a whole number alone is a count). */
  percentLike: boolean;
  kind: Kind;
  /** Why it is of that kind, in a few words. */
  why: string;
  /** A share whose count and base the text prints beside it ("69.2 % (9/13)"). */
  base?: { count: number; n: number };
  /** A count printed with its percentage beside it ("20% (8)", "10 (25%)"): that percentage. */
  withPercent?: string;
  /** A share printed after its count ("4 (23.5 %)", a cross-table's cell): that count. */
  withCount?: number;
  /** A share written as a bound ("más del 50 %", "over 50%"). */
  bound?: 'more' | 'less';
  /** The test statistic whose part it is (on the statistic itself only). */
  test?: PrintedTest;
  /** The words around it, for people. */
  context: string;
  /** The words around it, normalised, for binding. */
  words: string[];
  /** The words of its own clause: up to the next number or comma after it, and back to the last before it. */
  clause?: { before: string[]; after: string[] };
  /** Index of the segment (line, table row) it stands in: numbers of one row or sentence. */
  group: number;
  /** Index of the sentence within the text. */
  sentence: number;
  /** In a table (Markdown, HTML): its cell's place. */
  cell?: Cell;
}

// a number not glued to a word, a path or another number, with a sign where one stands apart
// ("-15,2 %"), or a decimal without its leading zero after a comparison ("p < .05", "p<,001")
const NUMBER =
  /(?:(?<![\p{L}\p{N}_.,%)\]])([+\-−]))?(?:(?<![\p{L}\p{N}_.,]|[\p{L}_]\/)([1-9]\d{0,2}(?:[\u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?|(?<!\d )[1-9]\d{0,2} \d{3}(?![ \u00a0\u202f\u2009]?\d)(?:[.,]\d+)?|\d+(?:[.,]\d+)?)|(?<=[=<>≤≥]\s{0,2})([.,]\d+))(?![\p{L}\p{N}_]|[.,]\d|\/[\p{L}_])(\s?(?:%|por ?ciento\b|percent\b|per ?cent\b))?/gu;

const WINDOW = 64;

const EXPECTED_BEFORE =
  /\b(?:expected counts?|expected frequenc\w*|expected values?|frecuencias? esperadas?|valores? esperados?|recuentos? esperados?)\b[^.;]{0,40}$/iu;

const MONTHS =
  'enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|january|february|march|april|may|june|july|august|september|october|november|december|ene|feb|mar|abr|jun|jul|ago|sep|sept|oct|nov|dic|dec';
const MONTH_AFTER = new RegExp(`^\\s*(?:de\\s+|of\\s+)?(?:${MONTHS})\\b`, 'iu');
const MONTH_BEFORE = new RegExp(`\\b(?:${MONTHS})\\.?\\s*(?:de\\s+)?$`, 'iu');
export const PAGE_BEFORE =
  /(?:\bp{1,2}\.|\bpág(?:ina)?s?\.?|\bpages?|\bfig(?:ura|ure)?\.?|\bgráfico|\bcuadro|\bquadro|\btableau|\btabela|\bfigura|\btablas?|\btables?|\bcapítulos?|\bchapters?|\bsecci[oó]n|\bsections?|\banexo|\bappendix|\bart[ií]culo|\bart\.|\bnúm(?:ero)?\.?|\bno\.|\bnº|\bn°|\bítem|\bitem|\bpregunta|\bquestion|\bhipótesis|\bhypothesis|\bvol\.?|\bedici[oó]n|\bversi[oó]n|\bversion|\bley|\blaw|\bdecreto|\bD\.S\.|\bR\.M\.|\bISO|\bnivel|\blevel|\bpaso|\bstep|\bobjetivo|\bgrupo|\bgroup|\bfase|\bphase|#)\s*$/iu;
/**
 * `PAGE_BEFORE.test(before)`, on the end of `before` only: the words it looks for are at most
 * 10 characters and stand right before the number (spaces apart), so the last 16 characters
 * after the spaces are trimmed decide it (\s and trimEnd take the same characters). Tried at
 * every place of the whole window, the pattern was the scan's slowest step.
 */
export const pageBefore = (before: string): boolean =>
  PAGE_BEFORE.test(before.trimEnd().slice(-16));
const TEST_WORDS =
  /(?:χ²|χ2|chi²|chi2|chi-?cuadrad[oa]|chi-?square[d]?|X²|\bt|\bF|\br|\bz|\bZ|\bU|\bW|\bH|\brho|\bρ|\btau|\bτ|\bR²|\bR2|\bη²|\beta²)\s*(?:\([^()]{0,30}\))?\s*[=<>≤≥]\s*$/u;
const COEFFICIENT_WORDS =
  /\b(?:alfa|alpha|α|cronbach|omega|ω|kmo|kaiser|coeficiente|coefficient|correlaci[oó]n|correlation|pearson|spearman|kendall|kappa|κ|rho|beta|β|R²|R2|r²|eta|η²|índice|index|loading|carga|fiabilidad|confiabilidad|reliability|consistencia interna|internal consistency|V de Cramer|Cramér|cramer|d de Cohen|Cohen'?s d|odds ratio|OR|RR|HR|raz[oó]n de momios|riesgo relativo)\b[^.;]{0,40}$/iu;
const MEAN_WORDS =
  /(?:\b(?:(?<!\b(?:social|mass|news|digital)\s)media|medias|promedio|promedios|mediana|moda|mean|means|median|mode|average|averaged|averages|desviaci[oó]n(?: est[aá]ndar| t[ií]pica)?|standard deviation|error est[aá]ndar|standard error|varianza|variance|puntaje|puntuaci[oó]n|score|rango intercuart[ií]lico)\b|x̄|σ)(?:[^.;%\d]|\d+[-–]\d*){0,30}?(?:[=:]|\bde\b|\bof\b|\bwas\b|\bfue\b|\bes\b|\bis\b)?\s*$/iu;
// abbreviations, in capitals only ("DE = 3.1", "M = 4.2"; not the word "de")
const MEAN_ABBREVIATIONS = /(?<![\p{L}])(?:M|Mdn|Me|DE|DT|SD|DS|SE|EE|IQR|RIC)\s*[=:]\s*$/u;
const RATE_BEFORE =
  /\b(?:tasas?|inter[eé]s|TEA|TEM|TCEA|crecimiento|creci[oó]|crecieron|incremento|increment[oó]|aumento|aument[oó]|disminuci[oó]n|disminuy[oó]|reducci[oó]n|reduj[oó]|ca[ií]da|cay[oó]|variaci[oó]n|var[ií]o|inflaci[oó]n|rentabilidad|rendimiento|margen|devaluaci[oó]n|growth|grew|increase[ds]?|decrease[ds]?|decline[ds]?|fell|rose|drop(?:ped)?|rate|interest|inflation|return|yield|margin|change)\b[^.;:%\d]{0,24}$/iu;
const RATE_AFTER =
  /^\s*(?:mensual(?:es)?|anual(?:es)?|diari[oa]s?|semanal(?:es)?|trimestral(?:es)?|por año|por mes|al año|al mes|a year|a month|per year|per month|per annum|monthly|annual(?:ly)?|yearly|daily|weekly|quarterly|de (?:inter[eé]s|crecimiento|incremento|aumento|disminuci[oó]n|reducci[oó]n|descuento|rentabilidad|inflaci[oó]n)|(?:interest|growth|increase|decrease|discount|inflation)\b)/iu;
const MONEY_BEFORE = /(?:S\/\.?|US\$|USD|PEN|EUR|\$|€|£|soles?\s+de|d[oó]lares\s+de)\s*$/iu;
const MONEY_AFTER =
  /^\s*(?:soles|sol|nuevos soles|d[oó]lares|dollars|euros|USD|PEN|EUR|(?:millones|mil|miles|million|thousand|billion)\s+(?:de\s+)?(?:soles|d[oó]lares|dollars|euros))\b/iu;
const UNIT_AFTER =
  /^\s*(?:años|año|years?|meses|mes|months?|semanas?|weeks?|d[ií]as|days?|horas?|hours?|h|min|minutos|minutes|segundos|seconds|s|km|m|cm|mm|m²|m2|ha|hect[aá]reas|hectares|kg|g|t|toneladas|tons?|l|litros|litres|liters|°C|ºC|puntos|points|pts|veces|times|pares|pairs|docenas|dozens|unidades|units|kilos)\b/iu;
const POPULATION_AFTER =
  /^\s*(?:encuestad[oa]s|entrevistad[oa]s|participantes|respondientes|informantes|sujetos|personas encuestadas|respondents|participants|subjects|interviewees|survey(?:ed)? respondents|(?:\p{L}+\s+){0,2}(?:fueron\s+)?(?:encuestad[oa]s|entrevistad[oa]s))\b/iu;
const POPULATION_BEFORE =
  /(?:\b[nN]\s*=\s*|\bmuestra\s+(?:final\s+)?(?:de|fue de|estuvo (?:conformada|compuesta|constituida) por|conformada por|compuesta por|constituida por)\s+|\bsample\s+(?:size\s+)?(?:of|was|consisted of|comprised)\s+|\bpoblaci[oó]n\s+(?:total\s+)?(?:de|fue de|estuvo (?:conformada|compuesta|constituida) por|conformada por|compuesta por|constituida por)\s+|\bpopulation\s+(?:of|was|consisted of|comprised)\s+|\bse encuest[oó] a\s+|\bse entrevist[oó] a\s+|\bsurveyed\s+|\binterviewed\s+|\btotal de\s+|\ba total of\s+)$/iu;
const CONFIDENCE =
  /^\s*(?:%\s*)?(?:[\p{L}-]+\s+){0,2}(?:CI|IC|C\.I\.|I\.C\.|confidence|de confianza|confianza|credible)\b/iu;
const CONFIDENCE_BEFORE =
  /(?:\b(?:CI|IC|confianza|confidence|Wilson|Clopper|Agresti|intervalo|interval)\b[^.;\d]{0,20}(?:\bal|\bdel|\bde|\bat|\bof)?\s*|\bal\s+)$/iu;
const ALPHA_BEFORE =
  /(?:\b(?:alfa|alpha|α)\s*(?:=|de|of)?\s*|significa(?:ncia|ción|nce)\s*(?:level\s+)?(?:de|del|of|=|at)?\s*(?:(?:the|el|un)\s+)?|nivel de significa\p{L}*\s*(?:de|del|=)?\s*|[<>≤≥]\s*)$/iu;
const LESS_THAN_ALPHA = /^\s*[<>≤≥]\s*(?:0?[.,](?:05|01|1|10|001)|5\s?%)(?!\d)/u;
// "IC 95 %: 1,12 a 5,01", "95% CI 1.12 to 1.88", "IC95%: [1,1; 2,3]": an interval its words name
const CI_HEAD = String.raw`\b(?:IC|CI|intervalo de confianza|confidence interval)\s*(?:(?:al|del|de)\s*)?(?:\d{2}(?:[.,]\d)?\s*%\s*)?(?:(?:CI|IC)\s*)?[:=]?\s*[[(]?\s*`;
const CI_START = new RegExp(`${CI_HEAD}$`, 'iu');
const CI_END = new RegExp(
  String.raw`${CI_HEAD}[+\-−]?\d+(?:[.,]\d+)?\s*%?\s*(?:a|to|hasta|y|and|[–—-]|;|,)\s*$`,
  'iu',
);
const CI_NEXT = /^\s*%?\s*(?:a|to|hasta|y|and|[–—-]|;|,)\s*[+\-−]?\d/iu;
// odds ratios, relative risks, hazard and prevalence ratios: coefficients, whatever their size
const RATIO_WORDS =
  /\b(?:odds ratios?|hazard ratios?|risk ratios?|rate ratios?|prevalence ratios?|raz[oó]n de (?:momios|odds|prevalencias?|riesgos?|tasas)|riesgos? relativos?|relative risks?)\b(?:\s+(?:ajustad[oa]|adjusted|crud[oa]|crude))?(?:\s+(?:for|de|del|para|of)\s+[^.;:()\d%]{1,30}?)?\s*(?:\([^()]{0,20}\)\s*)?(?:[=:,]|\bde\b|\bof\b|\bwas\b|\bwere\b|\bfue\b|\bes\b|\bis\b)?\s*(?:de\s+)?$/iu;
const RATIO_ABBREVIATIONS =
  /(?<![\p{L}])(?:a?OR|RR|HR|RP|PR|IRR|RPa?|ORa)(?![\p{L}])(?:\s+(?:for|de|del|para|of)\s+[^.;:()\d%]{1,30}?)?\s*(?:\([^()]{0,20}\)\s*)?(?:[=:,]|\bwas\b|\bfue\b|\bwere\b|\bes\b|\bis\b)?\s*$/u;
// a number of respondents by what was done to them, or in all: "se aplicó a 120 productores",
// "participaron 85 estudiantes", "a total of 1,024 adults responded"
const RESPONDENTS_VERB_BEFORE =
  /\b(?:se (?:aplic[oó]|administr[oó]|encuest[oó]|entrevist[oó])(?:\s+(?:la|el|una|un)\s+\p{L}+)?\s+a(?:\s+un total de)?|participaron|respondieron|contestaron|(?:we|they)\s+(?:surveyed|interviewed|sampled))\s+$/iu;
const TOTAL_OF_BEFORE = /\b(?:a total of|un total de|in total|en total)\s+$/iu;
const RESPONDENTS_AFTER =
  /^\s+(?:\p{L}+\s+)?(?:adults?|households?|hogares|people|persons|personas|individuals|individuos|students|estudiantes|alumn[oa]s|teachers|docentes|farmers|productor(?:es|as)|agricultor(?:es|as)|firms|empresas|companies|businesses|negocios|microempresari[oa]s|emprendedor(?:es|as)|entrepreneurs|workers|trabajador(?:es|as)|patients|pacientes|users|usuari[oa]s|consumers|consumidor(?:es|as)|clientes|customers|families|familias|women|mujeres|residents|residentes|pobladores|respondents|participants|encuestad[oa]s|entrevistad[oa]s|participantes|comerciantes|vendedor(?:es|as)|traders|vendors|merchants|owners|due[ñn][oa]s|propietari[oa]s|managers|gerentes|directiv[oa]s|employees|emplead[oa]s|colaboradores|docentes|profesores|madres|padres|parents|mothers|j[oó]venes|youths?|adolescentes|adolescents|ni[ñn][oa]s|children|pescadores|fishers|artesan[oa]s|artisans|turistas|tourists|visitantes|visitors|lectores|readers|socios|members|miembros|asociad[oa]s|ciudadan[oa]s|citizens|votantes|voters|mypes|microempresas|establecimientos)\b/iu;
const BOUND_BEFORE =
  /\b(?:m[aá]s del?|menos del?|hasta el|al menos el|al menos un|como m[ií]nimo el|como m[aá]ximo el|por encima del|por debajo del|superior(?:es)? al|inferior(?:es)? al|mayor(?:es)? al|menor(?:es)? al|sobre el|bajo el|more than|less than|over|under|above|below|at least|at most|up to|exceeds?|exceeding|nearly|almost|casi el|cerca del|alrededor del|about|around|approximately|aproximadamente(?: el| un)?|roughly|some)\s*$/iu;

/** Content words, folded and cut to a stem (enough to match "conocen" with "conoce"). */
export function stems(text: string): string[] {
  return (fold(text).match(/\p{L}{4,}/gu) ?? []).map((w) => w.slice(0, 5));
}
const fold = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * A printed number's value with a decimal point. Three digits after the separator and no
 * percent sign is a thousands separator ("1.234 empresas", "1,234 firms"), not a fraction.
 */
function numberValue(spaced: string, percent: boolean): string {
  // "1 250", "12 345": thousands apart by a space
  const printed = spaced.replace(/[ \u00a0\u202f\u2009]/gu, '');
  if (!percent && /^[1-9]\d{0,2}[.,]\d{3}$/.test(printed)) return printed.replace(/[.,]/, '');
  const value = printed.replace(',', '.');
  return value.startsWith('.') ? `0${value}` : value;
}

const TEST =
  /(?<![\p{L}\p{N}])(χ²|χ2|chi²|chi2|chi-?cuadrado|chi-?square|X²|X2|t|F|r|z|Z)\s*(?:\(\s*(?:(?:df|gl)\s*=\s*)?(\d+(?:[.,]\d+)?)(?:\s*[,;]\s*(\d+(?:[.,]\d+)?))?(?:\s*[,;]\s*[nN]\s*=\s*\d+)?\s*\))?\s*([=<>])\s*([-−]?\s?\d*[.,]?\d+)\s*(?:[,;]\s*)?(?:(?:gl|df|g\.l\.)\s*=\s*(\d+)(?:\s*[,;]\s*(\d+))?\s*(?:[,;]\s*)?)?(?:\(?\s*)?p\s*([=<>≤≥]|&lt;|&gt;)\s*(\d*[.,]\d+|[01](?![.,\d]))/gu;

function testType(word: string): TestType {
  if (/^(?:χ|chi|X)/iu.test(word)) return 'chi2';
  if (word === 'z' || word === 'Z') return 'z';
  return word as TestType;
}
const comparison = (c: string): '=' | '<' | '>' =>
  c === '<' || c === '≤' || c === '&lt;' ? '<' : c === '>' || c === '≥' || c === '&gt;' ? '>' : '=';

interface TestPart {
  role: 'test-statistic' | 'df' | 'p-value';
  test: PrintedTest;
}

/** Where the tests of a line stand: the index of each part (statistic, df, p) in the line. */
function testsOf(text: string): Map<number, TestPart> {
  const parts = new Map<number, TestPart>();
  if (!/\bp\s*(?:[=<>≤≥]|&[lg]t;)/u.test(text)) return parts;
  for (const m of text.matchAll(TEST)) {
    const [whole, word, dfA, dfB, statCmp, stat, glA, glB, pCmp, p] = m as unknown as string[];
    const start = m.index ?? 0;
    const type = testType(word as string);
    const df = dfA ?? glA;
    const dfSecond = dfB ?? glB;
    const oneTailed = /\b(?:one[- ]tailed|one[- ]sided|unilateral|una cola|directional)\b/iu.test(
      text.slice(Math.max(0, start - 60), start + (whole as string).length + 40),
    );
    const test: PrintedTest = {
      test: type,
      printed: (whole as string).trim(),
      stat: (stat as string).replace(/\s/g, '').replace('−', '-'),
      statComparison: comparison(statCmp as string),
      ...(df === undefined
        ? {}
        : type === 'F'
          ? { df1: df, ...(dfSecond === undefined ? {} : { df2: dfSecond }) }
          : type === 'chi2'
            ? { df1: df }
            : { df2: df }),
      p: p as string,
      pComparison: comparison(pCmp as string),
      oneTailed,
    };
    // the index of each part in the line, found from the end of the match backwards
    const at = (value: string | undefined, from: number) =>
      value === undefined ? -1 : (whole as string).indexOf(value, from);
    const statAt = at(
      (stat as string).replace(/^[-−]\s?/, ''),
      (whole as string).indexOf(statCmp as string),
    );
    const pAt = (whole as string).lastIndexOf(p as string);
    parts.set(start + pAt, { role: 'p-value', test });
    if (statAt >= 0) parts.set(start + statAt, { role: 'test-statistic', test });
    for (const d of [df, dfSecond]) {
      const dAt = at(d, (word as string).length);
      if (d !== undefined && dAt >= 0 && !parts.has(start + dAt))
        parts.set(start + dAt, { role: 'df', test });
    }
  }
  return parts;
}

// a test cut by a line break (a PDF's): its head at the end of a line, "χ²(2) =", "t(28) = 2,20;"
const TEST_HEAD_END =
  /(?<![\p{L}\p{N}])(?:χ²|χ2|chi²|chi2|chi-?cuadrado|chi-?square|X²|X2|t|F|r|z|Z)\s*(?:\(\s*(?:(?:df|gl)\s*=\s*)?\d+(?:[.,]\d+)?(?:\s*[,;]\s*\d+(?:[.,]\d+)?)?\s*\))?\s*[=<>]\s*(?:[-−]?\s?\d*[.,]?\d+\s*[,;]?\s*(?:(?:gl|df|g\.l\.)\s*=\s*\d+\s*[,;]?\s*)?)?$/u;

/** Whether a line ends with the head of a test whose p-value the next line gives. */
export const endsWithTestHead = (line: string): boolean =>
  TEST_HEAD_END.test(line.trimEnd().slice(-80));

/**
 * The tests of a line, with those it shares with the line before or after it (a test whose head
 * ends one line and whose p-value starts the next): each part at its index in this line.
 */
function lineTests(segments: readonly Segment[], index: number): Map<number, TestPart> {
  const text = (segments[index] as Segment).text;
  const parts = testsOf(text);
  const segment = segments[index] as Segment;
  // (lines one after the other: a paragraph's, a page's)
  const near = (other: Segment | undefined) =>
    other !== undefined && Math.abs(other.line - segment.line) <= 1;
  const before = segments[index - 1];
  const prev = near(before) ? (before?.text.trimEnd() ?? '') : '';
  const head = prev.slice(-80).match(TEST_HEAD_END)?.[0];
  if (head !== undefined) {
    const offset = head.length + 1;
    for (const [at, part] of testsOf(`${head} ${text}`))
      if (at >= offset && !parts.has(at - offset)) parts.set(at - offset, part);
  }
  const next = near(segments[index + 1]) ? segments[index + 1]?.text : undefined;
  if (next !== undefined && endsWithTestHead(text))
    for (const [at, part] of testsOf(`${text.trimEnd()} ${next.slice(0, 80)}`))
      if (at < text.length && !parts.has(at)) parts.set(at, part);
  return parts;
}

/**
 * Every number of the text, in reading order, with its kind, its place and the words around it.
 * `from` continues the count of segments and sentences of the text's earlier chunks (it is
 * advanced past this chunk's), so that a text read in chunks numbers them as read whole.
 */
export function findNumbers(
  segments: readonly Segment[],
  from: { group: number; sentence: number } = { group: 0, sentence: 0 },
): Found[] {
  const all: Found[] = [];
  for (const batch of numberBatches(segments, from, Number.POSITIVE_INFINITY))
    for (const f of batch) all.push(f);
  return all;
}

/** About how many numbers scan judges and writes at once (see numberBatches). */
export const BATCH_SIZE = 1024;

/**
 * Whether the numbers of a text may be judged apart between `a` and the number `b` right after
 * it: they stand in different sentences (sums, and the whole numbers and n a sentence prints,
 * are read per sentence), and `b` cannot continue a run of axis ticks with `a` (ticks are a
 * run of rising numbers of one line, printed alike).
 */
export function separable(a: Found, b: Found): boolean {
  if (a.sentence === b.sentence) return false;
  return !(
    a.group === b.group &&
    a.percentSign === b.percentSign &&
    Number(b.value) > Number(a.value)
  );
}

/**
 * findNumbers in batches of about `size` numbers (more where no batch can end), each ending
 * where the next number is separable from it: judged batch after batch, the numbers get what
 * judging them all at once gives, and memory holds one batch of them, however many numbers one
 * line (one paragraph) prints. Each number is read on the whole of its line all the same.
 */
export function* numberBatches(
  segments: readonly Segment[],
  from: { group: number; sentence: number } = { group: 0, sentence: 0 },
  size = BATCH_SIZE,
): Generator<Found[]> {
  let out: Found[] = [];
  // the segments (lines) that print nothing but numbers
  const figuresOnly = new Set<number>();
  const ticks = (from: number) => {
    // four or more numbers in a row, evenly spaced from 0 and printed alike: an axis; or three,
    // 0 %, 50 % and 100 %, on a line of their own
    let run: Found[] = [];
    const flush = () => {
      const [first, , third] = run;
      const halves =
        run.length === 3 &&
        first?.percentSign === true &&
        Number(first.value) === 0 &&
        Number(third?.value) === 100 &&
        figuresOnly.has(first.group);
      if (run.length >= 4 || halves)
        for (const t of run) Object.assign(t, { kind: 'reference', why: 'a tick of a chart axis' });
      run = [];
    };
    for (let i = from; i < out.length; i++) {
      const f = out[i] as Found;
      const last = run[run.length - 1];
      const step =
        run.length >= 2
          ? Number((run[1] as Found).value) - Number((run[0] as Found).value)
          : undefined;
      const fits =
        last !== undefined &&
        last.group === f.group &&
        last.percentSign === f.percentSign &&
        Number(f.value) > Number(last.value) &&
        (step === undefined || Number(f.value) - Number(last.value) === step);
      if (!fits) {
        flush();
        run =
          last !== undefined &&
          last.group === f.group &&
          last.percentSign === f.percentSign &&
          Number(f.value) > Number(last.value)
            ? [last, f]
            : [f];
      } else run.push(f);
    }
    flush();
  };
  let sentence = from.sentence;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index] as Segment;
    const group = from.group + index;
    const text = segment.text;
    if (/^[\s\d.,%\u00a0\u202f]+$/u.test(text)) figuresOnly.add(group);
    const tests = lineTests(segments, index);
    const scales = scalesOf(text);
    // a table of contents: leader dots
    const contents = /(?:\.\s){3,}/u.test(text);
    let sentenceEnd = 0;
    // the segment's numbers whose clause is not read yet: the last one's waits for the next
    let previous: { f: Found; start: number; end: number; before: number } | undefined;
    // a new line, table row or paragraph starts a new sentence
    sentence++;
    for (const match of text.matchAll(NUMBER)) {
      const sign = match[1] ?? '';
      const digits = (match[2] ?? match[3]) as string;
      const index = (match.index ?? 0) + sign.length;
      const length = match[0].length - sign.length;
      // a sentence ends at ". " or ";" between numbers
      const since = text.slice(sentenceEnd, index);
      if (/[.;:!?]\s+\p{Lu}|[.;!?]\s*$/u.test(since.slice(-200))) sentence++;
      sentenceEnd = index;
      const printed = `${sign}${match[0].slice(sign.length)}`.trimEnd();
      const before = text.slice(Math.max(0, index - sign.length - WINDOW), index - sign.length);
      const after = text.slice(index + length, index + length + WINDOW);
      const wordsBefore = before.split(/\s+/).slice(-8).join(' ');
      const wordsAfter = after.split(/\s+/).slice(0, 9).join(' ');
      // a table cell's words are its row's: the whole line of the source, when it is short
      const around =
        segment.around && segment.around.length <= 300
          ? segment.around
          : `${wordsBefore} ${wordsAfter}`;
      const percentSign = match[4] !== undefined;
      const value = `${sign && sign !== '+' ? '-' : ''}${numberValue(digits, percentSign)}`;
      const f: Found = {
        ...(segment.page === undefined ? {} : { page: segment.page }),
        line: segment.line,
        column: segment.column + index - sign.length,
        printed,
        value,
        percentSign,
        percentLike: percentSign || value.includes('.'),
        kind: 'count',
        why: '',
        context: `${wordsBefore}${printed}${wordsAfter}`.replace(/\s+/g, ' ').trim(),
        words: stems(around),
        group: out.length === 0 ? group : group,
        sentence,
        ...(segment.cell ? { cell: segment.cell } : {}),
      };
      if (segment.role === 'axis') {
        f.kind = 'reference';
        f.why = 'a tick of a chart axis';
      } else
        classify(f, { before, after, sign, test: tests.get(index), around: segment.around ?? '' });
      // a decimal on a rating scale the same sentence names: a score or mean, not a share
      if (f.kind === 'share' && !percentSign) {
        const top = scaleOf(scales, text, index, length);
        if (top !== undefined && Math.abs(Number(f.value)) <= top) {
          f.kind = 'mean';
          f.why = `a score on a scale up to ${top}`;
        }
      }
      if (contents) {
        f.kind = 'reference';
        f.why = 'a table of contents entry';
      }
      const start = index - sign.length;
      const end = index + length;
      if (previous) clauseOf(text, previous, start);
      // a batch ends before a number separable from the one before it
      const last = out[out.length - 1];
      if (out.length >= size && last !== undefined && separable(last, f)) {
        ticks(0);
        yield out;
        out = [];
        figuresOnly.clear();
        if (/^[\s\d.,%\u00a0\u202f]+$/u.test(text)) figuresOnly.add(group);
      }
      out.push(f);
      previous = { f, start, end, before: previous ? previous.end : Math.max(0, start - WINDOW) };
    }
    if (previous) clauseOf(text, previous, previous.end + WINDOW);
  }
  ticks(0);
  from.group += segments.length;
  from.sentence = sentence;
  yield out;
}

/**
 * A number's own clause: the words between it and its neighbours (`from` the end of the number
 * before it, `to` the start of the one after it), cut at punctuation.
 */
function clauseOf(
  text: string,
  at: { f: Found; start: number; end: number; before: number },
  to: number,
): void {
  const { start, end, before: from } = at;
  // a number right after another ("Todo mês 8 33,3 %": a row) shares its words
  const alone = !/\p{L}/u.test(text.slice(from, start));
  const left =
    text
      .slice(alone ? Math.max(0, start - WINDOW) : Math.max(from, start - WINDOW), start)
      .split(/[,;:()]/u)
      .pop() ?? '';
  const right = text.slice(end, Math.min(to, end + WINDOW)).split(/[,;:()]/u)[0] ?? '';
  at.f.clause = { before: stems(left), after: stems(right) };
}

// a rating scale and its top point: "a 5-point scale", "escala de 1 a 5", "scale from 1 to 7",
// "escala (Likert) de 5 puntos", "escala Likert de cinco puntos", "(scale 1-5)", "(1-5)",
// "out of 10", "sobre 20"
const SCALE_WORDS: Record<string, number> = {
  three: 3,
  tres: 3,
  four: 4,
  cuatro: 4,
  five: 5,
  cinco: 5,
  six: 6,
  seis: 6,
  seven: 7,
  siete: 7,
  ten: 10,
  diez: 10,
};
const POINTS = String.raw`(\d{1,2}|three|four|five|six|seven|ten|tres|cuatro|cinco|seis|siete|diez)`;
const SCALE = new RegExp(
  String.raw`\b${POINTS}[- ]?(?:point|puntos?)\s+(?:[\p{L}]+\s+){0,2}?(?:scale|escala)|(?:scale|escala|Likert)[^.;%\d]{0,30}?\b(?:de|of|from|del)\s+[01]\s*(?:a|to|al|-|–)\s*(\d{1,2})\b|(?:scale|escala)\s+(?:(?:tipo\s+)?Likert\s+)?(?:de|of)\s+${POINTS}\s+(?:puntos|points)|\b(?:out of|sobre)\s+(\d{1,2})\b(?!\s*%|[.,]\d)|\(\s*(?:(?:scale|escala)\s+)?[01]\s*[-–]\s*(\d{1,2})\s*\)`,
  'giu',
);

function scalesOf(text: string): { start: number; end: number; top: number }[] {
  const found = [];
  for (const m of text.matchAll(SCALE)) {
    const point = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]) as string;
    const top = SCALE_WORDS[point.toLowerCase()] ?? Number(point);
    if (top >= 3) found.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, top });
  }
  return found;
}

/** The top point of the scale named in the number's sentence, before it or right after it. */
function scaleOf(
  scales: readonly { start: number; end: number; top: number }[],
  text: string,
  index: number,
  length: number,
): number | undefined {
  for (let i = scales.length - 1; i >= 0; i--) {
    const scale = scales[i] as { start: number; end: number; top: number };
    if (scale.start >= index + length) {
      // after it, within its own clause ("3.2 on a 5-point scale")
      const between = text.slice(index + length, scale.start);
      if (between.length <= 30 && !/[.;!?]\s|\d/u.test(between)) return scale.top;
      continue;
    }
    if (scale.end > index) continue;
    const between = text.slice(scale.end, index);
    if (between.length <= 300 && !/[.;!?]\s+\p{Lu}|;/u.test(between)) return scale.top;
    // or in an earlier sentence of the same paragraph ("… on a 5-point scale. The service got
    // 3.2"), with no percentage between: a bare decimal there is a score too
    if (between.length <= 400 && !/%|por ?ciento|per ?cent/iu.test(between)) return scale.top;
    return undefined;
  }
  return undefined;
}

function classify(
  f: Found,
  at: { before: string; after: string; sign: string; test?: TestPart; around: string },
): true {
  const { before, after, sign } = at;
  const set = (kind: Kind, why: string): true => {
    f.kind = kind;
    f.why = why;
    return true;
  };
  const value = Math.abs(Number(f.value));
  // "SHA-256", "COVID-19": part of a name
  if (/\p{L}-$/u.test(before)) return set('reference', 'part of a name');
  // "Version: 1.0", "versión 2", "v1.2": a version
  if (/(?:\b(?:version|versión|versão)\s*:?\s*|\bv)$/iu.test(before))
    return set('reference', 'a version number');
  if (at.test) {
    if (at.test.role === 'test-statistic') {
      f.test = at.test.test;
      return set('test-statistic', `the statistic of ${at.test.test.printed}`);
    }
    return set(
      at.test.role,
      at.test.role === 'df'
        ? `degrees of freedom of ${at.test.test.printed}`
        : `the p-value of ${at.test.test.printed}`,
    );
  }
  // "80.1% – 97.4%", "[2.6; 19.9]", "± 1.5%": the ends of an interval, a tolerance
  if (/(?:±|\+\/-)\s*$/u.test(before)) return set('tolerance', 'a tolerance');
  const dashBefore = /\d\s*%?\s*(?:[–—-]|\s-|a|to|y|and|hasta)\s*$/u.test(before);
  const dashAfter = /^\s*(?:[–—]|-(?=\s*\d)|\s-\s)\s*[+\-−]?\d/u.test(after);
  // "[2.6; 19.9]", "(2.6, 19.9)": the two ends inside one pair of brackets
  const inBrackets =
    (/[[(]\s*[+\-−]?\d+(?:[.,]\d+)?\s*%?\s*[;,]\s*$/u.test(before) &&
      /^\s*%?\s*[\])]/u.test(after)) ||
    (/[[(]\s*$/u.test(before) &&
      /^\s*%?\s*[;,]\s*[+\-−]?\d+(?:[.,]\d+)?\s*%?\s*[\])]/u.test(after));
  const intervalWords = /\b(?:IC|CI|intervalo|interval|Wilson|confianza|confidence)\b/iu;
  if (
    (dashAfter || /[–—]\s*$|\s-\s*$|\d\s*%?\s*-\s*$/u.test(before)) &&
    (f.percentSign ||
      // the other end's percent sign ("2.6–19.9 %"), not a later figure's
      /^\s*(?:[–—-]\s*[+\-−]?\d+(?:[.,]\d+)?)?\s*%/u.test(after) ||
      intervalWords.test(before) ||
      intervalWords.test(at.around))
  )
    return set('interval-bound', 'an end of an interval');
  if (inBrackets) return set('interval-bound', 'an end of an interval');
  if ((CI_START.test(before) && CI_NEXT.test(after)) || CI_END.test(before))
    return set('interval-bound', 'an end of a confidence interval');
  if (CONFIDENCE.test(after) || (f.percentSign && CONFIDENCE_BEFORE.test(before)))
    if (/^(?:80|90|95|97\.5|98|99|99\.9)$/.test(String(value)))
      return set('confidence-level', 'a confidence level');
  // ranges: "de 3 a 5", "entre 18 y 25", "3–5 años", "from 3 to 5"
  const rangeStart =
    (/\b(?:de|entre|desde|from|between|scale of|aged|ages)\s*$/iu.test(before) &&
      /^\s*%?\s*(?:a|y|to|and|hasta|[–—-])\s*[+\-−]?\d/iu.test(after)) ||
    (!f.percentSign && dashAfter);
  const rangeEnd =
    /\b(?:de|entre|desde|from|between|scale of|aged|ages)\s+[+\-−]?\d+(?:[.,]\d+)?\s*%?\s*(?:a|y|to|and|hasta|[–—-])\s*$/iu.test(
      before,
    ) ||
    (!f.percentSign && dashBefore && /\d\s*(?:[–—]|-)\s*$/u.test(before));
  if (rangeStart || rangeEnd) return set('range', rangeStart ? 'a range start' : 'a range end');
  // a row or option label that is a range: "18 to 39", "18 a 39 años", "40 or older", "40 años o más"
  if (!f.percentSign && /^\d+$/.test(f.printed)) {
    const labelStart = /(?:^|\|)\s*$/u.test(before);
    if (labelStart && /^\s*(?:to|a)\s+\d+(?![.,]?\d)(?!\s*%)/iu.test(after))
      return set('range', 'a range start');
    if (/(?:^|\|)\s*\d+\s+(?:to|a)\s+$/iu.test(before)) return set('range', 'a range end');
    if (
      /^\s*(?:(?:años|years)\s+)?(?:or (?:older|more|over|above)|o más|y más|and (?:older|over|more))\b/iu.test(
        after,
      )
    )
      return set('range', 'an open range');
  }
  // "3 de cada 4", "1 in 5": a proportion, not a count of respondents
  if (!f.percentLike && /^\d+$/.test(f.printed)) {
    const ratio = ratioOf(before, after, value);
    if (ratio) return set('ratio', ratioWhy(ratio, after));
  }
  // the expected counts of a test's cells, and the share of cells below a threshold
  if (
    EXPECTED_BEFORE.test(before) ||
    /\b(?:below|under|less than|menor(?:es)? que|menos de)\s+\d+\s*\(\s*(?:the smallest|la menor|el menor)\s*,?\s*$/iu.test(
      before,
    ) ||
    /^\s*\(\s*(?:the smallest|la menor|el menor)\b/iu.test(after) ||
    /^\s*%?\s*(?:of the expected|de las frecuencias esperadas|de los valores esperados)/iu.test(
      after,
    )
  )
    return set('measure', "about a test's expected counts, not the respondents");
  // compared with alpha: "0,220 < 0,05" (the first is a p-value, the second alpha)
  if (LESS_THAN_ALPHA.test(after) && value < 1 && !f.percentSign)
    return set('p-value', 'a p-value compared with alpha');
  if (
    /\bp\s*(?:valor)?\s*(?:[=<>≤≥]|&lt;|&gt;)\s*$|\b(?:valor p|valor-p|p-valor|p-value|p value|sig\.?|significaci[oó]n|significancia)\s*(?:bilateral|asint[oó]tica|\(bilateral\))?\s*(?:de|of|was|fue|es|is|[=:<>≤≥])?\s*$/iu.test(
      before,
    )
  ) {
    // "p = 1.000": three decimals, not a thousands separator
    if (/^[01][.,]\d{3}$/.test(f.printed) && !f.percentSign) f.value = f.printed.replace(',', '.');
    if (Math.abs(Number(f.value)) <= 1 && !f.percentSign) return set('p-value', 'a p-value');
  }
  if (
    ALPHA_BEFORE.test(before) &&
    (value === 0.05 ||
      value === 0.01 ||
      value === 0.1 ||
      value === 0.001 ||
      (f.percentSign && (value === 5 || value === 1 || value === 10)))
  )
    return set('alpha', 'a significance level');
  if (/\b(?:gl|df|g\.l\.|grados de libertad|degrees of freedom)\s*[=:]?\s*$/iu.test(before))
    return set('df', 'degrees of freedom');
  if (TEST_WORDS.test(before) && !f.percentSign)
    return set('test-statistic', 'a test statistic without its p-value');
  if (!f.percentSign && (RATIO_WORDS.test(before) || RATIO_ABBREVIATIONS.test(before)))
    return set('coefficient', 'a ratio of odds, risks or prevalences');
  if (!f.percentSign && value <= 1 && COEFFICIENT_WORDS.test(before))
    return set('coefficient', 'a coefficient');
  // a weighted sample's effective size and design effect: "n efectiva (Kish) 28.5", "deff 1.05"
  if (
    !f.percentSign &&
    /\b(?:effective (?:n|sample size)|n efectiv[ao]|tamaño (?:de muestra )?efectivo|design effect|efecto de(?:l)? diseño|deff)\s*(?:\(Kish\))?\s*[=:]?\s*$/iu.test(
      before,
    )
  )
    return set('coefficient', "a weighted sample's effective size or design effect");
  if (MONEY_BEFORE.test(before) || MONEY_AFTER.test(after))
    return set('money', 'an amount of money');
  if ((MEAN_WORDS.test(before) || MEAN_ABBREVIATIONS.test(before)) && !f.percentSign)
    return set('mean', 'a mean, median or deviation');
  // rates and changes: "tasa de 2.5% mensual", "disminución de -15,2%", "+3 %"
  if (f.percentSign && (sign === '-' || sign === '−' || sign === '+'))
    return set('rate', 'a signed percentage: a change');
  if (f.percentLike && (RATE_BEFORE.test(before) || RATE_AFTER.test(after)))
    return set('rate', 'a rate or a change');
  if (!f.percentSign) {
    if (pageBefore(before)) return set('reference', 'a page, figure, table or section number');
    // "4.1 Results": a numbered heading
    if (before.trim() === '' && /^\d+(?:\.\d+)+\.?$/.test(f.printed) && /^\s+\p{Lu}/u.test(after))
      return set('reference', 'a heading number');
    if (
      before.trim() === '' &&
      /^\d{1,2}$/.test(f.printed) &&
      /^\s+\p{Lu}[\p{L} ,]{2,60}$/u.test(after)
    )
      return set('reference', 'a heading number');
    if (before.trim() === '' && /^\d{1,2}$/.test(f.printed) && /^[.)]\s+\p{Lu}/u.test(after))
      return set('ordinal', 'a list number');
    if (/^\s*(?:[°º]|ª|\.[°º])/u.test(after)) return set('ordinal', 'an ordinal');
    if (MONTH_AFTER.test(after) || MONTH_BEFORE.test(before)) return set('date', 'a date');
    if (
      /(?<![\d/])\d{1,2}\/\d{1,2}\/$/u.test(before) ||
      /^\/\d{1,2}\/\d{2,4}\b/u.test(after) ||
      (/(?<![\d/])\d{1,2}\/$/u.test(before) && /^\/\d{2,4}\b/u.test(after))
    )
      return set('date', 'a date');
    if (/^\d{4}$/.test(f.printed) && value >= 1900 && value <= 2100) return set('year', 'a year');
    if (/^\s*[:h]\s*\d{2}\b/u.test(after)) return set('date', 'a time of day');
    if (/^\s*(?:percentage points?|puntos porcentuales|pp\b|p\.p\.)/iu.test(after))
      return set('measure', 'a difference in percentage points');
    if (UNIT_AFTER.test(after)) return set('measure', 'a measure with its unit');
    if (/^[- ]?(?:point|puntos?)\b/iu.test(after)) return set('measure', 'the points of a scale');
  }
  // "3.2/5", "4,1/7": a score out of the top of its scale, and that top
  if (!f.percentSign && /\d[.,]\d+\s*\/\s*$/u.test(before) && value <= 10)
    return set('measure', 'the top of a scale a score is out of');
  const outOfTop = after.match(/^\s*\/\s*(\d{1,2})(?![\d%]|[.,]\d)/u);
  if (!f.percentSign && f.value.includes('.') && outOfTop && value <= Number(outOfTop[1]))
    return set('mean', `a score out of ${outOfTop[1]}`);
  // "37/40", "9 de 13 (69.2 %)": a count out of its base, and the base
  if (!f.percentLike && /\d\s*\/\s*$/u.test(before)) return set('n', 'the base of a count');
  if (
    !f.percentLike &&
    /\(\s*\d+\s+(?:of|de|out of|sobre)\s+$/iu.test(before) &&
    /^\s*\)/u.test(after)
  )
    return set('n', 'the base of a count');
  // a share with its count and base printed beside it: "69.2 % (9/13)", "9 de 13 (69,2 %)"
  if (f.percentLike) {
    const base =
      after.match(
        /^\s*\(\s*(\d+)\s*(?:\/|de|of|out of|sobre)\s*(\d+)(?:\s+\p{L}[^()]{0,30})?\s*\)/iu,
      ) ?? before.match(/(?<![\d.,])(\d+)\s*(?:\/|de|of|out of|sobre)\s*(\d+)\s*\(\s*$/iu);
    if (base && Number(base[2]) > 0 && Number(base[1]) <= Number(base[2]))
      f.base = { count: Number(base[1]), n: Number(base[2]) };
    const count = before.match(/(?<![\d.,/])(\d+)\s*\(\s*$/u);
    if (!base && count && !afterRatio(before)) f.withCount = Number(count[1]);
    // "uno de cada 3 (33,3 %)": the ratio's share, as printed
    const ratio = base ? undefined : ratioBase(before, f.printed);
    if (ratio) f.base = ratio;
    if (BOUND_BEFORE.test(before))
      f.bound =
        /(?<!\bal\s)\b(?:menos|hasta|como m[aá]ximo|por debajo|inferior|menor|bajo|less|under|below|at most|up to|nearly|almost|casi)\b/iu.test(
          before.slice(-24),
        )
          ? 'less'
          : 'more';
  }
  if (!f.percentLike) {
    const paired =
      before.match(/(?<![\d.,])(\d+(?:[.,]\d+)?)\s?%\s*\(\s*$/u) ??
      after.match(/^\s*(?:\p{L}+\s+){0,2}\(\s*(\d+(?:[.,]\d+)?)\s?%\s*\)/u);
    if (paired) f.withPercent = (paired[1] as string).replace(',', '.');
    // "9 de 13 (69,2 %)": the count, its base and its percentage; the 13 is that base
    const ofBase = after.match(
      /^\s*(?:de|of|out of|sobre)\s+(\d+)\s*\(\s*(\d+(?:[.,]\d+)?)\s?%\s*\)/iu,
    );
    if (ofBase && Number(ofBase[1]) >= value && Number(ofBase[1]) > 0) {
      f.base = { count: value, n: Number(ofBase[1]) };
      f.withPercent = (ofBase[2] as string).replace(',', '.');
    }
    if (/(?<![\d.,])\d+\s*(?:de|of|out of|sobre)\s*$/iu.test(before) && paired)
      return set('n', 'the base of a count');
    const outOf = after.match(/^\s*\/\s*(\d+)(?![\d.,])/u);
    if (outOf && Number(outOf[1]) >= value && Number(outOf[1]) > 0)
      f.base = { count: value, n: Number(outOf[1]) };
  }
  // "180.500 (n = 30)": a figure larger than the respondents printed with it counts none of them
  // (an amount, a statistic, a sum)
  if (
    !f.percentLike &&
    (RESPONDENTS_VERB_BEFORE.test(before) || TOTAL_OF_BEFORE.test(before)) &&
    RESPONDENTS_AFTER.test(after)
  )
    return set('n', 'a number of respondents');
  const ofN = after.match(/^\s*\(\s*n\s*=\s*(\d+)\s*\)/iu);
  if (!f.percentLike && ofN && value > Number(ofN[1]))
    return set('measure', `larger than the n = ${ofN[1]} printed with it: not a count of them`);
  if (f.percentLike && value === 100 && /^\s*(?:100\s?%\s*)?±/u.test(after))
    return set('total', 'a total: the percentages of all options added');
  if (
    /\b(?:total(?:es)?|suma[n]?|sum|add(?:s)? up to|suman)\b/iu.test(before.slice(-40)) ||
    /^\s*(?:<[^>]*>\s*)*(?:\|\s*)*[*_]{0,2}(?:total|sum:)/iu.test(at.around)
  )
    if ((f.percentLike && value === 100) || !f.percentLike) return set('total', 'a total');
  if (!f.percentLike) {
    if (POPULATION_BEFORE.test(before) || POPULATION_AFTER.test(after))
      return set('n', 'a number of respondents');
    return set('count', 'a count');
  }
  if (!f.percentSign && value < 1 && /^0[.,]/.test(f.printed))
    return set('coefficient', 'a proportion or coefficient below 1');
  if (value > 100) return set('measure', 'a decimal number over 100');
  return set('share', f.percentSign ? 'a percentage' : 'a decimal read as a percentage');
}
