// A floor: the file read through once, as a stream, and nothing else done with it.
import { createReadStream } from 'node:fs';

let bytes = 0;
for await (const chunk of createReadStream(process.argv[2], { highWaterMark: 1 << 20 }))
  bytes += chunk.length;
process.stdout.write(`${bytes}\n`);
