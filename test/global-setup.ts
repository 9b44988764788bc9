import { execFileSync } from 'node:child_process';

/** The CLI runs from dist/: compile it once so subprocess tests run the current source. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], {
    stdio: 'inherit',
  });
  execFileSync(process.execPath, ['scripts/bundle.js'], { stdio: 'inherit' });
}
