/**
 * What `report init` keeps of a column's values while it reads a data file row by row: not the
 * values, but a summary in memory that does not grow with the rows. Each distinct value is
 * counted (a multiset, in order of first appearance) up to `DISTINCT_CAP` distinct values; past
 * that, the values not yet counted only update what the guesses ask of them (whether every one
 * is a number, or 0/1, the lengths for the median, the codes they hold at each separator).
 * Below the cap, every answer it gives is the one the values themselves give.
 */

/** How many distinct values of a column are counted one by one. */
export const DISTINCT_CAP = 5000;

/** A number as a cell may write it (a decimal point or comma, an exponent). */
export const NUMBER = /^[-+]?(\d+([.,]\d+)?|[.,]\d+)([eE][-+]?\d+)?$/;
/** A number written with a decimal comma ("3,5"), or with a decimal point ("3.5"). */
const DECIMAL_COMMA = /^[-+]?\d*,\d/;
const DECIMAL_POINT = /^[-+]?\d*\.\d/;
/** A choice code as survey tools write them. */
const CODE = /^[A-Za-z_][\w-]*$/;
/** The separators of cells that hold several choice codes, in the order they are tried. */
const SEPARATORS = [' ', ';', ','] as const;
/** More codes than this at a separator: not choice codes. */
const MAX_CODES = 20;

/**
 * The codes of cells split at one separator: how often each occurs, whether some cell holds two
 * or more. It gives up (`dead`) as soon as the separator cannot be the one (a token that is no
 * code where codes are space-separated, or more than 20 codes), which is final.
 */
class Codes {
  dead = false;
  several = false;
  readonly counts = new Map<string, number>();

  constructor(readonly separator: string) {}

  /** The tokens of a cell at this separator. */
  split(value: string): string[] {
    return value
      .trim()
      .split(this.separator)
      .map((t) => t.trim())
      .filter(Boolean);
  }

  add(value: string, times: number): void {
    if (this.dead) return;
    const tokens = this.split(value);
    if (tokens.length >= 2) this.several = true;
    for (const t of tokens) {
      if (this.separator === ' ' && !CODE.test(t)) {
        this.die();
        return;
      }
      this.counts.set(t, (this.counts.get(t) ?? 0) + times);
    }
    if (this.counts.size > MAX_CODES) this.die();
  }

  /** Adds what another reading of later cells found (their codes after these in order). */
  merge(other: Codes): void {
    if (other.dead) this.die();
    if (this.dead) return;
    this.several ||= other.several;
    for (const [t, n] of other.counts) this.counts.set(t, (this.counts.get(t) ?? 0) + n);
    if (this.counts.size > MAX_CODES) this.die();
  }

  private die(): void {
    this.dead = true;
    this.counts.clear();
  }
}

/** What the values met after the cap say, one occurrence at a time. */
class PastCap {
  allNumbers = true;
  allZeroOne = true;
  decimalComma = false;
  decimalPoint = false;
  /** Lengths (in characters, trimmed) → how many values have it. */
  readonly lengths = new Map<number, number>();
  readonly codes = SEPARATORS.map((s) => new Codes(s));

  add(value: string): void {
    if (this.allNumbers && !NUMBER.test(value.trim())) this.allNumbers = false;
    if (this.allZeroOne && value !== '0' && value !== '1') this.allZeroOne = false;
    this.decimalComma ||= DECIMAL_COMMA.test(value.trim());
    this.decimalPoint ||= DECIMAL_POINT.test(value.trim());
    const length = characters(value.trim());
    this.lengths.set(length, (this.lengths.get(length) ?? 0) + 1);
    for (const c of this.codes) c.add(value, 1);
  }
}

interface Derived {
  allNumbers: boolean;
  allZeroOne: boolean;
  decimalComma: boolean;
  decimalPoint: boolean;
  median: number;
  separator: string | undefined;
  codes: Map<string, Codes>;
}

/** A column's non-blank values (as text), summarized as they are read. */
export class ColumnSummary {
  /** How many non-blank values. */
  count = 0;
  /** Each distinct value met before the cap, and how often it occurs, in order of first appearance. */
  private readonly counts = new Map<string, number>();
  private past: PastCap | undefined;
  private derived: Derived | undefined;

  constructor(private readonly cap = DISTINCT_CAP) {}

  add(value: string): void {
    this.count++;
    this.derived = undefined;
    const n = this.counts.get(value);
    if (n !== undefined) this.counts.set(value, n + 1);
    else if (this.counts.size < this.cap) this.counts.set(value, 1);
    else {
      this.past ??= new PastCap();
      this.past.add(value);
    }
  }

  /** Whether more distinct values were met than are counted: then `values` is not all of them. */
  get overflowed(): boolean {
    return this.past !== undefined;
  }

  /** How many distinct values: exact below the cap, else infinite (more than are counted). */
  get distinct(): number {
    return this.past ? Number.POSITIVE_INFINITY : this.counts.size;
  }

  /** The distinct values counted, in order of first appearance (all of them unless `overflowed`). */
  values(): string[] {
    return [...this.counts.keys()];
  }

  /** Whether every value is a number (true when there are none). */
  get allNumbers(): boolean {
    return this.derive().allNumbers;
  }

  /** Whether every value is exactly "0" or "1" (true when there are none). */
  get allZeroOne(): boolean {
    return this.derive().allZeroOne;
  }

  /** Whether some value is a number written with a decimal comma ("3,5"). */
  get decimalComma(): boolean {
    return this.derive().decimalComma;
  }

  /** Whether some value is a number written with a decimal point ("3.5"). */
  get decimalPoint(): boolean {
    return this.derive().decimalPoint;
  }

  /** The median length of the values, trimmed, in characters (the lower one of an even count). */
  get medianLength(): number {
    return this.derive().median;
  }

  /**
   * The separator of cells that hold several choice codes (KoboToolbox and ODK write them
   * space-separated): some cell holds two or more codes, every code is an identifier when they
   * are space-separated, each occurs at least twice, there are at most 20 and fewer than the
   * distinct cells.
   */
  get separator(): string | undefined {
    return this.derive().separator;
  }

  /** The distinct codes of the cells at a separator, in order of first appearance. */
  codes(separator: string): string[] {
    const found = this.derive().codes.get(separator);
    if (found && !found.dead) return [...found.counts.keys()];
    // a separator the cells were not read at: split what was counted
    const codes = new Codes(separator);
    const seen = new Set<string>();
    for (const v of this.counts.keys()) for (const t of codes.split(v)) seen.add(t);
    return [...seen];
  }

  private derive(): Derived {
    if (this.derived) return this.derived;
    let allNumbers = this.past?.allNumbers ?? true;
    let allZeroOne = this.past?.allZeroOne ?? true;
    let decimalComma = this.past?.decimalComma ?? false;
    let decimalPoint = this.past?.decimalPoint ?? false;
    const lengths = new Map(this.past?.lengths ?? []);
    const codes = SEPARATORS.map((s) => new Codes(s));
    for (const [value, n] of this.counts) {
      if (allNumbers && !NUMBER.test(value.trim())) allNumbers = false;
      if (allZeroOne && value !== '0' && value !== '1') allZeroOne = false;
      decimalComma ||= DECIMAL_COMMA.test(value.trim());
      decimalPoint ||= DECIMAL_POINT.test(value.trim());
      const length = characters(value.trim());
      lengths.set(length, (lengths.get(length) ?? 0) + n);
      for (const c of codes) c.add(value, n);
    }
    // the codes first met past the cap come after those of the values counted
    const past = this.past;
    if (past)
      codes.forEach((c, i) => {
        c.merge(past.codes[i] as Codes);
      });
    let median = 0;
    let below = Math.floor((this.count - 1) / 2);
    for (const length of [...lengths.keys()].sort((a, b) => a - b)) {
      below -= lengths.get(length) as number;
      if (below < 0) {
        median = length;
        break;
      }
    }
    const separator = codes.find(
      (c) =>
        !c.dead &&
        c.several &&
        c.counts.size <= MAX_CODES &&
        c.counts.size < this.distinct &&
        [...c.counts.values()].every((n) => n >= 2),
    )?.separator;
    this.derived = {
      allNumbers,
      allZeroOne,
      decimalComma,
      decimalPoint,
      median,
      separator,
      codes: new Map(codes.map((c) => [c.separator, c])),
    };
    return this.derived;
  }
}

/** The summary of values given whole. */
export function summarize(values: Iterable<string>, cap = DISTINCT_CAP): ColumnSummary {
  const summary = new ColumnSummary(cap);
  for (const v of values) summary.add(v);
  return summary;
}

/** The length of a text in characters (code points), as `[...text].length` counts them. */
function characters(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // a surrogate pair is one character
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
