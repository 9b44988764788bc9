import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { InputError, readError } from '../errors.js';
import type { Decoded } from './decode.js';
import { guessEncoding } from './decode.js';
import { describeBinary } from './sniff.js';

/** How a file's bytes become text: the encoding, how it was known, how many BOM bytes to skip. */
export interface Encoding {
  encoding: string;
  by: Decoded['by'];
  /** Bytes of a byte order mark to skip. */
  skip: number;
}

/** Chunks of a file as they are read (1 MB at a time). */
export async function* fileChunks(root: string, shownAs: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of createReadStream(join(root, shownAs), { highWaterMark: 1 << 20 }))
      yield chunk as Buffer;
  } catch (error) {
    throw readError(error, shownAs, root);
  }
}

/** An encoding named in the codebook, checked. */
function pinnedEncoding(pinned: string, file: string): Encoding {
  if (!iconv.encodingExists(pinned))
    throw new InputError(
      file,
      undefined,
      `unknown encoding "${pinned}"`,
      'use e.g. utf-8, windows-1252 or iso-8859-1 in study.data.csv.encoding',
    );
  return { encoding: pinned.toLowerCase(), by: 'pinned', skip: 0 };
}

/** What a byte order mark says, if there is one. */
function byteOrderMark(head: Uint8Array): Encoding | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf)
    return { encoding: 'utf-8', by: 'byte order mark', skip: 3 };
  if (head[0] === 0xff && head[1] === 0xfe)
    return { encoding: 'utf-16le', by: 'byte order mark', skip: 2 };
  if (head[0] === 0xfe && head[1] === 0xff)
    return { encoding: 'utf-16be', by: 'byte order mark', skip: 2 };
  return undefined;
}

/**
 * The encoding a fast first reading can take from a file's first bytes alone: pinned, a byte
 * order mark, else UTF-8 on trust (`by: 'valid UTF-8'` holds only once every byte was checked).
 */
export function firstGuess(head: Uint8Array, file: string, pinned?: string): Encoding {
  if (pinned) return pinnedEncoding(pinned, file);
  return byteOrderMark(head) ?? { encoding: 'utf-8', by: 'valid UTF-8', skip: 0 };
}

/** The bytes chardet is given: the whole file up to this size, else this much of it. */
const SAMPLE_BYTES = 8 << 20;

/**
 * The encoding of a file, as `decode` decides it for a file in memory, read as a stream: pinned,
 * a byte order mark, else UTF-8 when every byte is valid UTF-8, else what chardet detects
 * (on the first 8 MB). A NUL byte anywhere makes it a binary file (exit 2, with its line).
 */
export async function detectEncoding(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  pinned?: string,
): Promise<Encoding> {
  if (pinned) return pinnedEncoding(pinned, file);
  let valid = true;
  /** A chunk's last character when it may go on in the next chunk. */
  let carry: Uint8Array = new Uint8Array(0);
  let lines = 1;
  let first = true;
  let sampled = 0;
  const sample: Uint8Array[] = [];
  for await (const chunk of chunks) {
    if (first) {
      first = false;
      const bom = byteOrderMark(chunk);
      if (bom) return bom;
      // a workbook, an SPSS file or another binary format is named for what it is
      const binary = describeBinary(chunk);
      if (binary) throw new InputError(file, undefined, `this is ${binary.what}`, binary.fix);
    }
    const nul = chunk.indexOf(0);
    if (nul !== -1) {
      for (let i = chunk.indexOf(10); i !== -1 && i < nul; i = chunk.indexOf(10, i + 1)) lines++;
      throw new InputError(
        file,
        lines,
        'this is a binary file, not CSV text (it holds a NUL byte)',
        'export the responses as CSV',
      );
    }
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    if (valid) {
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      // carry the last character's bytes when it may be cut: from its lead byte on
      let lead = bytes.length - 1;
      while (lead > 0 && bytes.length - lead < 4 && ((bytes[lead] as number) & 0xc0) === 0x80)
        lead--;
      const cut = lead >= 0 && (bytes[lead] as number) >= 0xc0 ? lead : bytes.length;
      valid = isUtf8(bytes.subarray(0, cut));
      carry = bytes.slice(cut);
    }
    if (sampled < SAMPLE_BYTES) {
      sample.push(chunk.subarray(0, SAMPLE_BYTES - sampled));
      sampled += Math.min(chunk.length, SAMPLE_BYTES - sampled);
    }
  }
  if (valid && isUtf8(carry)) return { encoding: 'utf-8', by: 'valid UTF-8', skip: 0 };
  return { encoding: guessEncoding(Buffer.concat(sample), file), by: 'detected', skip: 0 };
}

/** Bytes in a file's encoding to UTF-8 bytes, chunk by chunk (a byte order mark dropped). */
export class ToUtf8 {
  private readonly decoder: ReturnType<typeof iconv.getDecoder> | undefined;
  private skip: number;

  constructor(encoding: Encoding) {
    this.skip = encoding.skip;
    this.decoder = /^utf-?8$/i.test(encoding.encoding)
      ? undefined
      : iconv.getDecoder(encoding.encoding);
  }

  /** True when bytes pass through unchanged (UTF-8 read as such). */
  get native(): boolean {
    return this.decoder === undefined;
  }

  push(chunk: Uint8Array): Uint8Array {
    let bytes = chunk;
    if (this.skip > 0) {
      const n = Math.min(this.skip, bytes.length);
      bytes = bytes.subarray(n);
      this.skip -= n;
    }
    if (!this.decoder) return bytes;
    return Buffer.from(
      this.decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)),
    );
  }

  end(): Uint8Array {
    return this.decoder ? Buffer.from(this.decoder.end() ?? '') : new Uint8Array(0);
  }
}

/** Text of a file in its encoding, chunk by chunk, line ends normalised to \n. */
export async function* textChunks(
  chunks: AsyncIterable<Uint8Array>,
  encoding: Encoding,
): AsyncGenerator<string> {
  let skip = encoding.skip;
  const decoder = /^utf-?8$/i.test(encoding.encoding)
    ? undefined
    : iconv.getDecoder(encoding.encoding);
  const utf8 = new TextDecoder('utf-8');
  let carry = '';
  const normal = (text: string, last: boolean): string => {
    let t = carry + text;
    carry = '';
    if (!last && t.endsWith('\r')) {
      carry = '\r';
      t = t.slice(0, -1);
    }
    return t.replace(/\r\n?/g, '\n');
  };
  for await (const chunk of chunks) {
    let bytes = chunk;
    if (skip > 0) {
      const n = Math.min(skip, bytes.length);
      bytes = bytes.subarray(n);
      skip -= n;
    }
    const text = decoder
      ? decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length))
      : utf8.decode(bytes, { stream: true });
    if (text) yield normal(text, false);
  }
  const rest = decoder ? (decoder.end() ?? '') : utf8.decode();
  const last = normal(rest, true);
  if (last) yield last;
}
