import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mountPoints, parseMountinfo } from '../src/publish/mounts.js';

const sample = [
  '21 26 0:20 / /proc rw,relatime - proc proc rw',
  '26 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '41 26 254:0 /home/ana/data /home/ana/my\\040site rw,relatime - ext4 /dev/vda rw',
  '42 26 254:0 /x /srv/tab\\011and\\134back\\012line rw - ext4 /dev/vda rw',
  '43 26 0:50 / /mnt/caf\u00e9 rw shared:1 - tmpfs tmpfs rw',
  '',
].join('\n');

describe('the mounts the system lists', () => {
  it('reads the fifth field of each line, its octal escapes decoded', () => {
    expect(parseMountinfo(sample)).toEqual([
      '/proc',
      '/',
      '/home/ana/my site',
      '/srv/tab\tand\\back\nline',
      '/mnt/caf\u00e9',
    ]);
  });

  it('skips lines too short to name a mount point', () => {
    expect(parseMountinfo('garbage\n1 2 3 4\n\n')).toEqual([]);
  });

  it('reads a mountinfo file, and says nothing where there is none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mounts-'));
    await writeFile(join(dir, 'mountinfo'), sample);
    expect(await mountPoints(join(dir, 'mountinfo'))).toContain('/home/ana/my site');
    expect(await mountPoints(join(dir, 'absent'))).toBeUndefined();
  });
});
