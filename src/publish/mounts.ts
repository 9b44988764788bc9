import { readFile } from 'node:fs/promises';

/** Where Linux lists the mounts this process sees, one a line. */
export const MOUNTINFO = '/proc/self/mountinfo';

/**
 * The mount points listed in a mountinfo text (proc(5)): the fifth field of each line, with the
 * kernel's octal escapes (`\040` for a space, `\011` a tab, `\012` a newline, `\134` a
 * backslash) decoded. Lines too short to have one are skipped.
 */
export function parseMountinfo(text: string): string[] {
  const points: string[] = [];
  for (const line of text.split('\n')) {
    const field = line.split(' ')[4];
    if (!field) continue;
    points.push(
      field.replace(/\\([0-3][0-7]{2})/g, (_, octal: string) =>
        String.fromCharCode(Number.parseInt(octal, 8)),
      ),
    );
  }
  return points;
}

/** The mount points this process sees, or undefined where the system does not list them. */
export async function mountPoints(file = MOUNTINFO): Promise<string[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  return parseMountinfo(text);
}
