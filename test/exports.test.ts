import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/build.js';
import { InputError } from '../src/errors.js';
import { decode } from '../src/load/decode.js';
import { parseResponses } from '../src/load/responses.js';
import { loadDesign } from '../src/load/study.js';
import { copyStudy, editFile, projectRoot, runBin } from './helpers.js';

const exports = join(projectRoot, 'test/fixtures/exports');
const { codebook } = await loadDesign(projectRoot);

let reference: Map<string, string | Uint8Array>;
beforeAll(async () => {
  reference = (await build({ root: projectRoot, dryRun: true })).files;
});

/** Everything the report shows: all files but the copies of the inputs and the manifest of them. */
const shown = (files: Map<string, string | Uint8Array>) =>
  [...files].filter(
    ([path]) => !['data/responses.csv', 'data/codebook.yaml', 'manifest.json'].includes(path),
  );

async function buildWith(file: string, edit?: (codebook: string) => string) {
  const root = await copyStudy();
  await cp(join(exports, file), join(root, 'data/responses.csv'));
  if (edit) await editFile(root, 'data/codebook.yaml', edit);
  return { root, files: (await build({ root, dryRun: true })).files };
}

describe('real exports', () => {
  it('a Spanish Excel CSV (windows-1252, ";", CRLF, wordings, labels, a timestamp) builds the same report', async () => {
    const raw = await readFile(join(exports, 'excel-es.csv'));
    expect(raw.includes(Buffer.from('ñ', 'utf8'))).toBe(false); // really not UTF-8
    const { files } = await buildWith('excel-es.csv');
    const expected = shown(reference);
    const got = shown(files);
    expect(got.map(([p]) => p)).toEqual(expected.map(([p]) => p));
    for (const [i, [path, content]] of got.entries()) {
      expect(
        Buffer.compare(
          Buffer.from(content as Uint8Array),
          Buffer.from(expected[i]?.[1] as Uint8Array),
        ),
        path,
      ).toBe(0);
    }
  });

  it('report check says what it detected', async () => {
    const root = await copyStudy();
    await cp(join(exports, 'excel-es.csv'), join(root, 'data/responses.csv'));
    const { code, err } = runBin(['check', '--root', root]);
    expect(code).toBe(0);
    expect(err).toContain(
      'data/responses.csv: 40 rows · encoding windows-1252 (detected) · delimiter ";" (detected)',
    );
    expect(err).toContain('"Marca temporal" → skipped');
    expect(err).toContain('"¿Conoce usted el significado de «clúster»?" → question knowledge');
  });

  it('a Google Forms export (BOM, English wordings, multi-line comments, trailing blank lines) builds the same report', async () => {
    const { files } = await buildWith('google-forms-en.csv', (t) =>
      t.replace('    respondent_id: id', '    respondent_id: id\n    ignore_columns: [Comments]'),
    );
    expect(
      shown(files).map(([p, c]) => [p, Buffer.from(c as Uint8Array).toString('base64')]),
    ).toEqual(
      shown(reference).map(([p, c]) => [p, Buffer.from(c as Uint8Array).toString('base64')]),
    );
  });

  it('refuses the multi-line comments column until it is declared', async () => {
    const root = await copyStudy();
    await cp(join(exports, 'google-forms-en.csv'), join(root, 'data/responses.csv'));
    const { code, err } = runBin(['verify', '--root', root]);
    expect(code).toBe(2);
    expect(err).toMatch(
      /^error: data\/responses\.csv:1: unknown column "Comments" \(name it by a question id or wording/,
    );
  });

  it('uses a pinned dialect instead of detecting one', async () => {
    const pinned = await buildWith('excel-es.csv', (t) =>
      t.replace(
        '    respondent_id: id',
        '    respondent_id: id\n    csv: { delimiter: ";", encoding: windows-1252 }',
      ),
    );
    expect(String(pinned.files.get('es/index.html'))).toBe(String(reference.get('es/index.html')));
    const wrong = await copyStudy();
    await cp(join(exports, 'excel-es.csv'), join(wrong, 'data/responses.csv'));
    await editFile(wrong, 'data/codebook.yaml', (t) =>
      t.replace('    respondent_id: id', '    respondent_id: id\n    csv: { delimiter: "," }'),
    );
    expect(runBin(['verify', '--root', wrong]).err).toMatch(
      /^error: data\/responses\.csv:1: unknown column "Marca temporal;id;/,
    );
  });

  it('numbers the rows when the export has no id column', async () => {
    const csv =
      'knowledge,mapping,state-incentive,training-received,training-provider,competitiveness,added-value,distributors,service-quality,suppliers\nknows,mapped,more_money,none,universities,new_markets,quality,good,good,fair_to_acceptable\n';
    const noIds = {
      ...codebook,
      study: { ...codebook.study, data: { ...codebook.study.data, respondent_id: null } },
    };
    const responses = parseResponses(Buffer.from(csv), 'r.csv', noIds);
    expect(responses.ids).toEqual(['1']);
  });
});

describe('decoding', () => {
  it('reads accents from windows-1252, UTF-8 with and without BOM, and UTF-16', () => {
    const text = 'Año,Diseño\nñandú,café\n';
    expect(decode(iconv.encode(text, 'windows-1252'), 'f').text).toBe(text);
    expect(decode(Buffer.from(text, 'utf8'), 'f')).toMatchObject({
      text,
      encoding: 'utf-8',
      by: 'valid UTF-8',
    });
    expect(
      decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'f'),
    ).toMatchObject({ text, by: 'byte order mark' });
    expect(decode(iconv.encode(text, 'utf-16le', { addBOM: true }), 'f').text).toBe(text);
    expect(decode(Buffer.from('a\r\nb\rc\n'), 'f').text).toBe('a\nb\nc\n');
  });

  it('matches answers whatever their case, spacing or language', () => {
    const header =
      'id,knowledge,mapping,state-incentive,training-received,training-provider,competitiveness,added-value,distributors,service-quality,suppliers';
    const row =
      'R1,  NO CONOCE   EL SIGNIFICADO ,Identified and mapped,more_money,Receives no training from any organization,la cámara de comercio,QUALITY_DESIGN,El Diseño,good,Buena,De regular a aceptable (la fuente no publica el desglose)';
    const r = parseResponses(Buffer.from(`${header}\n${row}\n`), 'r.csv', codebook);
    expect(Object.values(r.answers).map((column) => column[0])).toEqual([
      'does_not_know',
      'mapped',
      'more_money',
      'none',
      'chamber_of_commerce',
      'quality_design',
      'design',
      'good',
      'good',
      'fair_to_acceptable',
    ]);
  });
});

describe('the loader never fails in any other way than a clear error', () => {
  const loadOrInputError = (bytes: Uint8Array) => {
    try {
      parseResponses(bytes, 'data/responses.csv', codebook);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      expect(error.message).toMatch(/^data\/responses\.csv(:\d+)?: \S/);
      expect(error.message).not.toContain('\n');
    }
  };

  it('on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => loadOrInputError(bytes)),
      { numRuns: 400 },
    );
  });

  it('on random CSV-like text made of the pieces that break parsers', () => {
    const piece = fc.constantFrom(
      ',',
      ';',
      '\t',
      '"',
      '""',
      '\n',
      '\r\n',
      '\r',
      ' ',
      'id',
      'knowledge',
      'R1',
      'knows',
      'does_not_know',
      'Sí',
      'ñ',
      '\u00a0',
      '\ufeff',
      '#',
      '',
    );
    const header =
      'id,knowledge,mapping,state-incentive,training-received,training-provider,competitiveness,added-value,distributors,service-quality,suppliers\n';
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 120 }), fc.boolean(), (pieces, withHeader) =>
        loadOrInputError(Buffer.from((withHeader ? header : '') + pieces.join(''))),
      ),
      { numRuns: 600 },
    );
  });
});
