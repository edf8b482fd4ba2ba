// Answers to a problem code's questions, checked against the code's question definitions: the same
// rules for the desk, the portal and Open311 partners. Notices (variable = false) take no answer.
import type { Question } from '../hierarchy/files.ts';
import type { FieldProblem } from '../errors.ts';

export type Answer = string | number | string[];
export type Answers = Record<string, Answer>;

const maxLength: Record<string, number> = { string: 500, text: 4000 };

/** An ISO 8601 date-time with an offset (or Z), as the API speaks it. */
const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function checkOne(q: Question, value: unknown, field: string): FieldProblem | null {
  const keys = new Set((q.values ?? []).map((v) => v.key));
  const allowed = () => [...keys].join(', ');
  switch (q.datatype) {
    case 'string':
    case 'text':
      if (typeof value !== 'string') return { field, message: 'must be text' };
      if (value.length > maxLength[q.datatype]!) return { field, message: `must be at most ${maxLength[q.datatype]} characters` };
      return null;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { field, message: 'must be a number' };
      return null;
    case 'datetime':
      if (typeof value !== 'string' || !dateTimePattern.test(value) || Number.isNaN(Date.parse(value))) {
        return { field, message: 'must be a date and time with its offset, e.g. 2026-11-22T14:30:00-05:00' };
      }
      return null;
    case 'singlevaluelist':
      if (typeof value !== 'string' || !keys.has(value)) return { field, message: `must be one of: ${allowed()}` };
      return null;
    case 'multivaluelist': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return { field, message: `must be a list of: ${allowed()}` };
      const unknown = value.filter((v) => !keys.has(v as string));
      if (unknown.length > 0) return { field, message: `has ${unknown.join(', ')}, which is not one of: ${allowed()}` };
      if (new Set(value).size !== value.length) return { field, message: 'names a value twice' };
      return null;
    }
  }
}

/** An answer left empty counts as not given. */
export function isEmptyAnswer(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

/**
 * Problems with `answers` for `questions`: unknown or notice codes, wrong datatypes, list keys that
 * are not offered; and, when `complete`, required questions left unanswered. `at` prefixes fields.
 */
export function answerProblems(questions: Question[], answers: Record<string, unknown>, options: { complete: boolean; at: string }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const byCode = new Map(questions.map((q) => [q.code, q]));
  for (const [code, value] of Object.entries(answers)) {
    const field = `${options.at}/${code}`;
    const q = byCode.get(code);
    if (!q) problems.push({ field, message: 'is not a question of this problem code' });
    else if (!q.variable) problems.push({ field, message: 'is a notice for the clerk and takes no answer' });
    else if (!isEmptyAnswer(value)) {
      const problem = checkOne(q, value, field);
      if (problem) problems.push(problem);
    }
  }
  if (options.complete) {
    for (const q of [...questions].sort((a, b) => a.order - b.order)) {
      if (q.variable && q.required && isEmptyAnswer(answers[q.code])) problems.push({ field: `${options.at}/${q.code}`, message: `is required: ${q.description}` });
    }
  }
  return problems;
}

/** The answers worth keeping: empty ones dropped, text trimmed. */
export function cleanAnswers(answers: Record<string, unknown>): Answers {
  const clean: Answers = {};
  for (const [code, value] of Object.entries(answers)) {
    if (isEmptyAnswer(value)) continue;
    clean[code] = typeof value === 'string' ? value.trim() : (value as Answer);
  }
  return clean;
}
