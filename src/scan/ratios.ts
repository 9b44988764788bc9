/**
 * "3 de cada 4", "uno de cada 3", "1 in 5", "one out of every 10": a proportion, not a count of
 * respondents. Both numbers are the ratio's; a percentage printed right after it is checked
 * against it ("1 in 3 (33.3 %)" is right; "3 de cada 4 (76,4 %)" rounds 76.4 % to a ratio).
 */
const WORD_NUMBERS: Record<string, number> = {
  un: 1,
  uno: 1,
  una: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};
const OF_EVERY = String.raw`(?:de cada|out of every|out of each|of every|in every|in)`;
const X = String.raw`(\d{1,3}|un[oa]?|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|one|two|three|four|five|six|seven|eight|nine|ten)`;
// the numerator, printed: "3 de cada 4"; the denominator: "… de cada 4", "uno de cada 3"
// (not a duration: "5 in 12 months")
const AFTER_NUMERATOR = new RegExp(
  String.raw`^\s+${OF_EVERY}\s+(\d{1,4}|\p{L}+)(?![\d.,%])(?!\s+(?:months?|years?|weeks?|days?|hours?|meses|años|semanas|d[ií]as|horas)\b)`,
  'iu',
);
const BEFORE_DENOMINATOR = new RegExp(String.raw`(?<![\p{L}\d.,])${X}\s+${OF_EVERY}\s+$`, 'iu');
const PERCENT_AFTER = /^\s*(?:\p{L}+\s+){0,2}\(\s*(\d+(?:[.,]\d+)?)\s?%\s*\)/u;

const amount = (word: string) => WORD_NUMBERS[word.toLowerCase()] ?? Number(word);

export interface Ratio {
  part: number;
  whole: number;
  role: 'part' | 'whole';
}

/** The ratio a whole number is part of, from the words right around it; else undefined. */
export function ratioOf(before: string, after: string, value: number): Ratio | undefined {
  const next = after.match(AFTER_NUMERATOR);
  // "in" alone reads a year or a place too: only a small whole, not a year ("12 in 2019")
  if (next) {
    const whole = amount(next[1] as string);
    if (Number.isInteger(whole) && whole > value && whole <= 1000 && value > 0)
      return { part: value, whole, role: 'part' };
  }
  const previous = before.match(BEFORE_DENOMINATOR);
  if (previous) {
    const part = amount(previous[1] as string);
    if (Number.isInteger(part) && part > 0 && part < value && value <= 1000)
      return { part, whole: value, role: 'whole' };
  }
  return undefined;
}

/** Why a ratio is one, with the percentage printed after it checked against it. */
export function ratioWhy(ratio: Ratio, after: string): string {
  const share = (100 * ratio.part) / ratio.whole;
  const what = `${ratio.part} in ${ratio.whole} (${Number(share.toFixed(1))} %)`;
  // the percentage after the whole, past the denominator when on the part
  const rest = ratio.role === 'part' ? after.replace(AFTER_NUMERATOR, '') : after;
  const printed = rest.match(PERCENT_AFTER)?.[1];
  if (printed === undefined) return `a ratio, ${what}: a proportion, not a count`;
  const decimals = printed.split(/[.,]/)[1]?.length ?? 0;
  const value = Number(printed.replace(',', '.'));
  return Math.abs(share - value) <= 0.5 * 10 ** -decimals + 1e-9
    ? `a ratio, ${what}: its percentage, ${printed} %, as printed`
    : `a ratio, ${what}: ${printed} % printed, a ratio rounded from it`;
}

/** A share printed right after a ratio ("1 in 5 (20.3 %)"): not a count's percentage. */
const AFTER_RATIO = new RegExp(
  String.raw`(?<![\p{L}\d.,])${X}\s+${OF_EVERY}\s+(\d{1,4})\s*\(\s*$`,
  'iu',
);
export const afterRatio = (before: string): boolean => AFTER_RATIO.test(before);

/** The ratio a share is printed right after, when the share is that ratio ("1 in 3 (33.3 %)"). */
export function ratioBase(
  before: string,
  printed: string,
): { count: number; n: number } | undefined {
  const m = before.match(AFTER_RATIO);
  if (!m) return undefined;
  const count = amount(m[1] as string);
  const n = Number(m[2]);
  const decimals = printed.match(/[.,](\d+)/)?.[1]?.length ?? 0;
  const value = Number(printed.replace(/\s?%$/, '').replace(',', '.'));
  return count < n && Math.abs((100 * count) / n - value) <= 0.5 * 10 ** -decimals + 1e-9
    ? { count, n }
    : undefined;
}
