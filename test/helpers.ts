import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../src/cli.js';

export const projectRoot = resolve(import.meta.dirname, '..');

/** A copy of the shipped study (data/ and templates/) in a fresh temporary folder. */
export async function copyStudy(from = projectRoot): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'study-'));
  await cp(join(from, 'data'), join(dir, 'data'), { recursive: true });
  await cp(join(from, 'templates'), join(dir, 'templates'), { recursive: true }).catch(
    () => undefined,
  );
  return dir;
}

export async function editFile(
  root: string,
  path: string,
  edit: (text: string) => string,
): Promise<void> {
  const file = join(root, path);
  await writeFile(file, edit(await readFile(file, 'utf8')));
}

/** Runs the CLI in this process, capturing what it prints. */
export async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Runs the real `report` binary in a new process. */
export function runBin(args: string[], cwd = projectRoot, input?: string) {
  const result = spawnSync(process.execPath, [join(projectRoot, 'bin/report.js'), ...args], {
    cwd,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status ?? -1, out: result.stdout, err: result.stderr };
}

/** A small bilingual codebook around the given `questions:` YAML (indented two spaces). */
export function codebookYaml(id: string, questions: string): string {
  return `study:
  id: ${id}
  title: { es: Pequeño, en: Small }
  institution: Somewhere
  year: 2020
  repository: Repo
  handle: X/1
  population: { es: gente, en: people }
  languages: [{ code: es, locale: es-PE, name: Español }, { code: en, locale: en-US, name: English }]
  data: { status: original, note: { es: nota, en: note } }
sections: [{ id: main, title: { es: Principal, en: Main } }]
questions:
${questions}`;
}
