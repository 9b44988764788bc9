/** A variable's measurement level, as SPSS's Variable View shows it. */
export type MeasurementLevel = 'nominal' | 'ordinal' | 'scale';

const LEVELS: Record<number, MeasurementLevel> = { 1: 'nominal', 2: 'ordinal', 3: 'scale' };

/**
 * The measurement level of each variable of an SPSS system file, by its short (8-character)
 * name, from the variable display parameter record (record type 7, subtype 11), which the SPSS
 * reader (sav-reader) skips. Only the dictionary is walked: variable records (2), value labels
 * (3, 4), documents (6) and extension records (7), up to the dictionary's end (999). A file
 * without the record, or one this walk does not understand, gives an empty map: the level is
 * then unknown, never guessed from a misread.
 */
export function measurementLevels(bytes: Uint8Array): Map<string, MeasurementLevel> {
  const levels = new Map<string, MeasurementLevel>();
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 176) return levels;
  const layout = b.readInt32LE(64);
  const le = layout === 2 || layout === 3;
  const int = (at: number) => (le ? b.readInt32LE(at) : b.readInt32BE(at));
  const names: string[] = [];
  let at = 176;
  try {
    for (;;) {
      const type = int(at);
      at += 4;
      if (type === 2) {
        const varType = int(at);
        const hasLabel = int(at + 4);
        const missing = Math.abs(int(at + 8));
        const name = b
          .subarray(at + 20, at + 28)
          .toString('latin1')
          .trimEnd();
        at += 28;
        if (hasLabel === 1) at += 4 + Math.ceil(int(at) / 4) * 4;
        at += missing * 8;
        if (varType !== -1) names.push(name);
      } else if (type === 3) {
        const count = int(at);
        at += 4;
        for (let i = 0; i < count; i++) {
          const length = b[at + 8] as number;
          at += 8 + Math.ceil((length + 1) / 8) * 8;
        }
      } else if (type === 4) {
        at += 4 + int(at) * 4;
      } else if (type === 6) {
        at += 4 + int(at) * 80;
      } else if (type === 7) {
        const subtype = int(at);
        const size = int(at + 4);
        const count = int(at + 8);
        at += 12;
        if (subtype === 11 && size === 4 && count > 0) {
          const per = count / names.length;
          if (per !== 2 && per !== 3) return levels;
          names.forEach((name, i) => {
            const level = LEVELS[int(at + i * per * 4)];
            if (level) levels.set(name, level);
          });
          return levels;
        }
        at += size * count;
      } else return levels; // 999, the dictionary's end, or a record not known
      if (at > b.length) return new Map();
    }
  } catch {
    return new Map(); // a record running past the end of the file
  }
}
