/** What a binary file is, from its first bytes (magic numbers), to say so when it is not what its name says. */
export type BinaryKind = 'zip' | 'encrypted-office' | 'ole' | 'sav' | 'pdf' | undefined;

/**
 * An .xlsx workbook is a zip; a password-protected one is an OLE compound file holding an
 * "EncryptedPackage" stream; an .xls is an OLE file too; an SPSS system file starts "$FL2" or "$FL3".
 */
export function binaryKind(bytes: Uint8Array): BinaryKind {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04)
    return 'zip';
  if (b.length >= 8 && b.subarray(0, 8).equals(OLE)) {
    return b.includes(ENCRYPTED_PACKAGE) ? 'encrypted-office' : 'ole';
  }
  const head = b.subarray(0, 4).toString('latin1');
  if (head === '$FL2' || head === '$FL3') return 'sav';
  if (head === '%PDF') return 'pdf';
  return undefined;
}

const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** The stream name as an OLE directory entry spells it (UTF-16LE). */
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

/** A one-line description of a binary file found where text was expected, or undefined. */
export function describeBinary(bytes: Uint8Array): { what: string; fix: string } | undefined {
  switch (binaryKind(bytes)) {
    case 'zip':
      return {
        what: 'an Excel workbook (.xlsx) or another zip file, not CSV text',
        fix: 'name a workbook data/responses.xlsx, or export the responses as CSV',
      };
    case 'encrypted-office':
      return {
        what: 'a password-protected Office file, not CSV text',
        fix: 'remove its password and save it as .xlsx or CSV',
      };
    case 'ole':
      return {
        what: 'an Excel 97–2003 workbook (.xls) or another old Office file, not CSV text',
        fix: 'save it as .xlsx (data/responses.xlsx) or CSV',
      };
    case 'sav':
      return {
        what: 'an SPSS data file, not CSV text',
        fix: 'name it data/responses.sav',
      };
    case 'pdf':
      return { what: 'a PDF, not CSV text', fix: 'export the responses as CSV' };
    default:
      return undefined;
  }
}
