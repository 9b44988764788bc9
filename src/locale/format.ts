/**
 * Number formatting for one page's locale, all through Intl: the one place where a figure of
 * any output (page, PDF, chart, description) is given its form.
 */
export interface Formatter {
  locale: string;
  count: (value: number) => string;
  /** A proportion (0–1) as a percentage, with up to `digits` decimals (exactly, when `fixed`). */
  percent: (proportion: number, digits?: number, fixed?: boolean) => string;
  /** A number with exactly `digits` decimals (a mean, a median). */
  decimal: (value: number, digits?: number) => string;
  /** A range of counts ("182–194"). */
  countRange: (lower: number, upper: number) => string;
  /**
   * A range of proportions as percentages, joined by an en dash without spaces and the
   * percent sign written once where the locale puts it after the number: "2.6–19.9%",
   * "2,6–19,9 %". Callers keep it on one line (see the `nowrap` text directive).
   */
  percentRange: (lower: number, upper: number, digits?: number, fixed?: boolean) => string;
  /** The same number of decimals for every value of a column: the most any value needs, up to `digits`. */
  columnDigits: (proportions: readonly number[], digits?: number) => number;
  /** A confidence level label: "IC 95%" / "95% CI", by the pattern of the page's language. */
  level: (pattern: string, level?: number) => string;
  /** An ISO date (YYYY-MM-DD) written out in the locale, e.g. "29 de noviembre de 2026". */
  date: (iso: string) => string;
  /** d3-format locale definition matching Intl's, for Vega. */
  d3Locale: {
    decimal: string;
    thousands: string;
    grouping: number[];
    currency: [string, string];
    percent: string;
  };
}

export function formatter(locale: string): Formatter {
  const counts = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percents = new Map<number, Intl.NumberFormat>();
  /** `fixed`: exactly `digits` decimals (a table column), else up to `digits`. */
  const percentFormat = (digits: number, fixed = false) => {
    const key = fixed ? -1 - digits : digits;
    let f = percents.get(key);
    if (!f) {
      f = new Intl.NumberFormat(locale, {
        style: 'percent',
        minimumFractionDigits: fixed ? digits : 0,
        maximumFractionDigits: digits,
      });
      percents.set(key, f);
    }
    return f;
  };
  const decimalFormats = new Map<number, Intl.NumberFormat>();
  const decimalFormat = (digits: number) => {
    let f = decimalFormats.get(digits);
    if (!f) {
      f = new Intl.NumberFormat(locale, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
      decimalFormats.set(digits, f);
    }
    return f;
  };
  const range = (lower: number, upper: number, digits: number, fixed: boolean) => {
    const f = percentFormat(digits, fixed);
    const [a, b] = [f.format(lower), f.format(upper)];
    const sign = /\s?%$/u.exec(b)?.[0];
    // the sign once, after the second number, where the locale writes it after numbers
    if (sign && a.endsWith(sign)) return `${a.slice(0, -sign.length)}\u2013${b}`;
    return `${a}\u2013${b}`;
  };
  const decimals = (value: number, most: number) => {
    for (let d = 0; d < most; d++)
      if (Math.abs(Math.round(value * 100 * 10 ** d) - value * 100 * 10 ** d) < 1e-9) return d;
    return most;
  };
  const dates = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
  const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
  const part = (type: string, fallback: string) =>
    parts.find((p) => p.type === type)?.value ?? fallback;
  const percentParts = new Intl.NumberFormat(locale, { style: 'percent' }).formatToParts(0.5);
  const percentSign = percentParts
    .filter((p) => p.type === 'percentSign' || (p.type === 'literal' && /\s/.test(p.value)))
    .map((p) => p.value)
    .join('');
  return {
    locale,
    count: (value) => counts.format(value),
    percent: (proportion, digits = 1, fixed = false) =>
      percentFormat(digits, fixed).format(proportion),
    decimal: (value, digits = 1) => decimalFormat(digits).format(value),
    countRange: (lower, upper) => counts.formatRange(lower, upper),
    percentRange: (lower, upper, digits = 1, fixed = false) => range(lower, upper, digits, fixed),
    columnDigits: (proportions, digits = 1) =>
      Math.max(0, ...proportions.map((p) => decimals(p, digits))),
    level: (pattern, level = 0.95) => pattern.replace('{level}', percentFormat(0).format(level)),
    date: (iso) => dates.format(new Date(`${iso}T00:00:00Z`)),
    d3Locale: {
      decimal: part('decimal', '.'),
      thousands: part('group', ','),
      grouping: [3],
      currency: ['', ''],
      percent: percentSign || '%',
    },
  };
}
