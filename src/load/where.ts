import type { Codebook, Question } from './codebook.js';

/** A subgroup: per question, the option codes any of which a respondent's answer falls in. */
export type Where = { question: Question; codes: string[] }[];

/** What is wrong with a subgroup condition, for the caller to place (template line, claims line). */
export interface WhereProblem {
  problem: string;
  hint?: string;
}

/**
 * Reads a subgroup condition written `sex=female;region=north,south` (`;` is and, `,` is or) or
 * given as a map `{ sex: female, region: [north, south] }`. Every question and option must exist;
 * an open question or a numeric one without bins has no options to select by.
 */
export function parseWhere(
  codebook: Codebook,
  given: string | Record<string, string | string[]>,
): Where | WhereProblem {
  const parts: [string, string[]][] = [];
  if (typeof given === 'string') {
    for (const raw of given.split(';')) {
      const part = raw.trim();
      if (part === '') continue;
      const eq = part.indexOf('=');
      if (eq < 0)
        return {
          problem: `"${part}" is not a condition`,
          hint: 'write where="question=option" (";" is and, "," is or), e.g. where="sex=female;region=north,south"',
        };
      parts.push([
        part.slice(0, eq).trim(),
        part
          .slice(eq + 1)
          .split(',')
          .map((c) => c.trim()),
      ]);
    }
  } else {
    for (const [qid, codes] of Object.entries(given))
      parts.push([qid, (Array.isArray(codes) ? codes : [codes]).map(String)]);
  }
  if (parts.length === 0) return { problem: 'an empty subgroup condition' };
  const where: Where = [];
  for (const [qid, codes] of parts) {
    const question = codebook.questions.find((q) => q.id === qid);
    if (!question)
      return {
        problem: `unknown question "${qid}" in the subgroup condition`,
        hint: `questions: ${codebook.questions.map((q) => q.id).join(', ')}`,
      };
    if (question.options.length === 0)
      return {
        problem: `"${qid}" has no options to select a subgroup by`,
        hint: question.type === 'numeric' ? 'give it bins:' : 'select by a question with options',
      };
    if (where.some((w) => w.question.id === qid))
      return {
        problem: `"${qid}" is named twice in the subgroup condition`,
        hint: 'join its options with ","',
      };
    const known = question.options.map((o) => o.code);
    for (const code of codes) {
      if (code === '') return { problem: `an empty option of "${qid}" in the subgroup condition` };
      if (!known.includes(code))
        return {
          problem: `unknown option "${code}" of "${qid}" in the subgroup condition`,
          hint: `its options: ${known.join(', ')}`,
        };
    }
    where.push({ question, codes: [...new Set(codes)] });
  }
  return where;
}

export const isWhereProblem = (w: Where | WhereProblem): w is WhereProblem => 'problem' in w;

/** The subgroup in words, with the options' labels in a language ("Sex: female; Region: north or south"). */
export function describeWhere(where: Where, lang: string, or = 'or', named = false): string {
  return where
    .map(({ question, codes }) => {
      const labels = codes.map((c) => question.options.find((o) => o.code === c)?.label[lang] ?? c);
      const options =
        labels.length === 1
          ? labels[0]
          : `${labels.slice(0, -1).join(', ')} ${or} ${labels[labels.length - 1]}`;
      return named ? `${question.short[lang] ?? question.id}: ${options}` : options;
    })
    .join('; ');
}

/** Why a reconstructed study refuses cross-tabulations and subgroups. */
export const RECONSTRUCTION_REASON =
  'the data are a reconstruction from marginals (study.data.status: reconstruction, each column shuffled on its own): cross-tabulations and subgroups of them would mean nothing';
