/**
 * Respondent ids checked for duplicates in memory that does not grow with the ids' length or,
 * for ids in increasing order, with their number.
 *
 * Ids that arrive in increasing order (shorter before longer, then byte by byte: `1, 2, 10`,
 * `r1 … r10`, `R0001 …`) are all distinct and need nothing kept. From the first id out of that
 * order on, ids go into blocked Bloom filters (4 bytes per id; one cache line touched per id
 * and filter; the first holds a million ids, a full one is followed by one twice its size).
 * An id the filters may have seen before, or that lies within the increasing run, is a
 * *suspect*: it is kept, and a second pass over the file decides exactly whether it occurs
 * twice. So "no duplicates" is exact, and a suspect is never reported without that pass.
 */
export class IdSet {
  /** The increasing run: its first and last id. */
  private first: Uint8Array | undefined;
  private last = new Uint8Array(64);
  private lastLength = -1;
  private inRun = true;
  private readonly filters: Bloom[] = [];
  /** Suspects, by their bytes read as latin1. */
  readonly suspects = new Set<string>();
  count = 0;

  /** Adds an id (its UTF-8 bytes, already trimmed). */
  add(bytes: Uint8Array, start: number, end: number): void {
    this.count++;
    if (this.inRun) {
      if (this.lastLength === -1 || compare(bytes, start, end, this.last, this.lastLength) > 0) {
        this.remember(bytes, start, end);
        return;
      }
      this.inRun = false;
    }
    // within the run's range: it may be one of the run's ids
    if (
      compare(bytes, start, end, this.first as Uint8Array, (this.first as Uint8Array).length) >=
        0 &&
      compare(bytes, start, end, this.last, this.lastLength) <= 0
    )
      this.suspects.add(latin1(bytes, start, end));
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let k = start; k < end; k++) {
      const b = bytes[k] as number;
      h1 = Math.imul(h1 ^ b, 16777619);
      h2 = (Math.imul(h2, 31) + b) | 0;
    }
    h2 ^= h2 >>> 15;
    h2 = Math.imul(h2, 0x5bd1e995);
    h2 ^= h2 >>> 13;
    h1 ^= h1 >>> 13;
    h1 = Math.imul(h1, 0xc2b2ae35);
    h1 ^= h1 >>> 16;
    let seen = false;
    const filters = this.filters;
    for (let f = 0; f < filters.length && !seen; f++) seen = (filters[f] as Bloom).has(h1, h2);
    if (seen) this.suspects.add(latin1(bytes, start, end));
    let filter = this.filters[this.filters.length - 1];
    if (!filter || filter.full()) {
      filter = new Bloom(filter ? filter.capacity * 2 : 1 << 20);
      this.filters.push(filter);
    }
    filter.add(h1, h2);
  }

  private remember(bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (this.first === undefined) this.first = bytes.slice(start, end);
    if (length > this.last.length) this.last = new Uint8Array(length * 2);
    this.last.set(bytes.subarray(start, end));
    this.lastLength = length;
  }
}

/** Shorter first, then byte by byte. */
function compare(a: Uint8Array, start: number, end: number, b: Uint8Array, length: number): number {
  if (end - start !== length) return end - start - length;
  for (let k = 0; k < length; k++) {
    const d = (a[start + k] as number) - (b[k] as number);
    if (d !== 0) return d;
  }
  return 0;
}

export function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** A Bloom filter whose 8 bits for an id lie in one 512-bit block (one cache line). */
class Bloom {
  private readonly bits: Int32Array;
  private readonly blocks: number;
  private items = 0;

  constructor(readonly capacity: number) {
    // 32 bits per id
    this.blocks = Math.max(1, capacity >>> 4);
    this.bits = new Int32Array(this.blocks * 16);
  }

  full(): boolean {
    return this.items >= this.capacity;
  }

  has(h1: number, h2: number): boolean {
    const base = ((h1 >>> 0) % this.blocks) * 16;
    const bits = this.bits;
    for (let i = 0; i < 8; i++) {
      const bit = (h2 + i * ((h1 >>> 23) | 1)) & 511;
      if (((bits[base + (bit >>> 5)] as number) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  add(h1: number, h2: number): void {
    const base = ((h1 >>> 0) % this.blocks) * 16;
    const bits = this.bits;
    for (let i = 0; i < 8; i++) {
      const bit = (h2 + i * ((h1 >>> 23) | 1)) & 511;
      bits[base + (bit >>> 5)] = (bits[base + (bit >>> 5)] as number) | (1 << (bit & 31));
    }
    this.items++;
  }
}
