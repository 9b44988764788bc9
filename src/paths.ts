import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The tool's own folder (where its package.json, assets/ and node_modules/ are), found by
 * walking up from this module: the same from src/, from dist/ and from the bundle.
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'assets'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the tool’s package.json above its code');
    dir = parent;
  }
}

export const packageRoot = findPackageRoot();
