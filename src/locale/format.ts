/** Number formatting for one page's locale, all through Intl. */
export interface Formatter {
  locale: string;
  count: (value: number) => string;
  /** A proportion (0–1) as a percentage, with up to `digits` decimals. */
  percent: (proportion: number, digits?: number) => string;
  /** A range of proportions as percentages. */
  percentRange: (lower: number, upper: number, digits?: number) => string;
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
  const percentFormat = (digits: number) => {
    let f = percents.get(digits);
    if (!f) {
      f = new Intl.NumberFormat(locale, {
        style: 'percent',
        minimumFractionDigits: 0,
        maximumFractionDigits: digits,
      });
      percents.set(digits, f);
    }
    return f;
  };
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
    percent: (proportion, digits = 1) => percentFormat(digits).format(proportion),
    percentRange: (lower, upper, digits = 1) => percentFormat(digits).formatRange(lower, upper),
    d3Locale: {
      decimal: part('decimal', '.'),
      thousands: part('group', ','),
      grouping: [3],
      currency: ['', ''],
      percent: percentSign || '%',
    },
  };
}
