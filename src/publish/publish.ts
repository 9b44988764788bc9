import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The files of a build, by path relative to the output folder. */
export type OutputFiles = Map<string, string | Uint8Array>;

/**
 * Writes the build into a temporary folder beside `outDir`, then swaps it in:
 * readers never see a half-written report, and a failed build leaves the previous one intact.
 */
export async function publish(outDir: string, files: OutputFiles): Promise<void> {
  const parent = dirname(outDir);
  const stamp = `${process.pid}-${Date.now()}`;
  const staging = join(parent, `.${basename(outDir)}-new-${stamp}`);
  const previous = join(parent, `.${basename(outDir)}-old-${stamp}`);
  await mkdir(staging, { recursive: true });
  try {
    const paths = [...files.keys()].sort();
    for (const dir of new Set(paths.map((path) => dirname(join(staging, path)))))
      await mkdir(dir, { recursive: true });
    await Promise.all(
      paths.map((path) => writeFile(join(staging, path), files.get(path) as string | Uint8Array)),
    );
    let hadPrevious = true;
    await rename(outDir, previous).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      hadPrevious = false;
    });
    try {
      await rename(staging, outDir);
    } catch (error) {
      if (hadPrevious) await rename(previous, outDir);
      throw error;
    }
    if (hadPrevious) await rm(previous, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
