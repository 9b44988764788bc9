import chardet from 'chardet';
import iconv from 'iconv-lite';
import { InputError } from '../errors.js';
import { describeBinary } from './sniff.js';

export interface Decoded {
  text: string;
  /** The encoding read, e.g. "utf-8", "windows-1252". */
  encoding: string;
  /** How it was known. */
  by: 'pinned' | 'byte order mark' | 'valid UTF-8' | 'detected';
}

/**
 * Bytes to text: a pinned encoding, else a byte order mark, else UTF-8 when the bytes are valid
 * UTF-8, else the encoding chardet detects (ISO-8859-1 read as its superset windows-1252, as
 * Excel writes it). Line ends are normalised to \n.
 */
export function decode(bytes: Uint8Array, file: string, pinned?: string): Decoded {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const done = (text: string, encoding: string, by: Decoded['by']): Decoded => ({
    text: text.replace(/\r\n?/g, '\n'),
    encoding,
    by,
  });
  if (pinned) {
    if (!iconv.encodingExists(pinned))
      throw new InputError(
        file,
        undefined,
        `unknown encoding "${pinned}"`,
        'use e.g. utf-8, windows-1252 or iso-8859-1 in study.data.csv.encoding',
      );
    return done(iconv.decode(buffer, pinned), pinned.toLowerCase(), 'pinned');
  }
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf)
    return done(buffer.toString('utf8', 3), 'utf-8', 'byte order mark');
  if (buffer[0] === 0xff && buffer[1] === 0xfe)
    return done(iconv.decode(buffer.subarray(2), 'utf-16le'), 'utf-16le', 'byte order mark');
  if (buffer[0] === 0xfe && buffer[1] === 0xff)
    return done(iconv.decode(buffer.subarray(2), 'utf-16be'), 'utf-16be', 'byte order mark');
  const binary = describeBinary(buffer);
  if (binary) throw new InputError(file, undefined, `this is ${binary.what}`, binary.fix);
  const nul = buffer.indexOf(0);
  if (nul !== -1) {
    const line = buffer.subarray(0, nul).toString('latin1').split('\n').length;
    throw new InputError(
      file,
      line,
      'this is a binary file, not CSV text (it holds a NUL byte)',
      'export the responses as CSV',
    );
  }
  try {
    return done(new TextDecoder('utf-8', { fatal: true }).decode(buffer), 'utf-8', 'valid UTF-8');
  } catch {
    const encoding = guessEncoding(buffer, file);
    return done(iconv.decode(buffer, encoding), encoding, 'detected');
  }
}

/**
 * The 8-bit encoding of text that is not UTF-8, guessed by chardet from a sample of it (Latin-1
 * and ASCII read as windows-1252, its superset); one iconv-lite cannot read is bad input.
 */
export function guessEncoding(sample: Uint8Array, file: string): string {
  const guess = (chardet.detect(sample) ?? 'windows-1252').toLowerCase();
  const encoding = guess === 'iso-8859-1' || guess === 'ascii' ? 'windows-1252' : guess;
  if (!iconv.encodingExists(encoding))
    throw new InputError(
      file,
      undefined,
      `cannot read the text encoding (looks like ${guess})`,
      'save the file as UTF-8, or pin study.data.csv.encoding',
    );
  return encoding;
}
