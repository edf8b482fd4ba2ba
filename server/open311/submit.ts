// POST requests: a partner (an app, another agency) reports a problem. It goes through the same checks
// as the desk (the code's questions, the location), the same duplicate search in its automatic mode and
// the same work orders; the request records which partner sent it. Its caller, when named, is a contact.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.ts';
import { useApiKey } from '../api-keys/service.ts';
import type { Actor } from '../audit/service.ts';
import { DomainError, type FieldProblem } from '../errors.ts';
import type { Question } from '../hierarchy/files.ts';
import { publicProblemCode, submitAndFile } from '../intake/outside.ts';
import { mediaUrlProblem, reportProblems, type LocationInput } from '../intake/service.ts';
import type { WorkOrderOptions } from '../work-orders/service.ts';
import { serviceNoticeOf } from './service.ts';

/** The form's fields: repeated keys (attribute[CODE][]) arrive as arrays. */
export type FormFields = Record<string, string | string[] | undefined>;

const one = (fields: FormFields, name: string): string | undefined => {
  const value = fields[name];
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text === undefined || text === '' ? undefined : text;
};

/** `attribute[CODE]=v` and `attribute[CODE][]=v` (multi-value lists) as the answers the desk keeps. */
function answersOf(fields: FormFields, questions: Question[]): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    const match = /^attribute\[([^\]]+)\](\[\])?$/.exec(key);
    if (!match || value === undefined) continue;
    const code = match[1]!;
    const values = (Array.isArray(value) ? value : [value]).map((v) => v.trim()).filter((v) => v !== '');
    if (values.length === 0) continue;
    const question = questions.find((q) => q.code === code);
    if (question?.datatype === 'multivaluelist') answers[code] = [...(answers[code] as string[] | undefined ?? []), ...values];
    else if (question?.datatype === 'number' && values.length === 1 && !Number.isNaN(Number(values[0]))) answers[code] = Number(values[0]);
    else answers[code] = values.length === 1 ? values[0] : values;
  }
  return answers;
}

/** A problem of the desk's rules, named as the partner sent it. */
function asArgument(problem: FieldProblem): FieldProblem {
  const field = problem.field
    .replace(/^\/body\/problemCode/, 'service_code')
    .replace(/^\/body\/answers\/([^/]+).*$/, 'attribute[$1]')
    .replace(/^\/body\/answers$/, 'attribute')
    .replace(/^\/body\/location\/addressId$/, 'address_id')
    .replace(/^\/body\/location\/(latitude|longitude)$/, 'lat and long')
    .replace(/^\/body\/location$/, 'location (lat and long, address_string or address_id)');
  return { field, message: problem.message };
}

export interface Submitted {
  service_request_id: string;
  /** The request is made at once, so the number comes with it; the token is for clients that always ask tokens/{token}. */
  token: string;
  service_notice: string | null;
  account_id: string | null;
  /** When the city expects the work done: the promise a clerk would tell the caller. */
  expected_datetime: string | null;
}

/**
 * Checks the partner's key (403 without a working one, 429 over its rate), then the report whole —
 * every problem at once, nothing written when there is one — then saves it and files it.
 */
export function submitServiceRequest(db: Db, fields: FormFields, options: WorkOrderOptions): Submitted {
  const key = useApiKey(db, one(fields, 'api_key'));
  if (!key.ok) {
    if (key.reason === 'rate_limited') throw new DomainError('RATE_LIMITED', `This api_key may send ${key.limit} requests a minute; try again in ${key.retryAfterSeconds} s.`, undefined, key.retryAfterSeconds);
    throw new DomainError('FORBIDDEN', key.reason === 'missing' ? 'api_key is required to report a problem: ask the city for one.' : key.reason === 'revoked' ? 'This api_key was revoked.' : 'This api_key is not valid.');
  }
  const actor: Actor = { userId: null, label: `open311:${key.key.partner}` };
  const problems: FieldProblem[] = [];
  const code = one(fields, 'service_code');
  if (!code) throw new DomainError('VALIDATION_FAILED', 'service_code is required', [{ field: 'service_code', message: 'is required' }]);
  const description = one(fields, 'description') ?? '';
  if (description.length > 4000) problems.push({ field: 'description', message: `is ${description.length} characters long; at most 4,000` });
  const number = (name: string) => {
    const text = one(fields, name);
    if (text === undefined) return null;
    const value = Number(text);
    if (Number.isNaN(value)) problems.push({ field: name, message: `is not a number (${text})` });
    return Number.isNaN(value) ? null : value;
  };
  const lat = number('lat');
  const long = number('long');
  if (lat !== null && (lat < -90 || lat > 90)) problems.push({ field: 'lat', message: 'must be from -90 to 90' });
  if (long !== null && (long < -180 || long > 180)) problems.push({ field: 'long', message: 'must be from -180 to 180' });
  const addressIdText = one(fields, 'address_id');
  const addressId = addressIdText === undefined ? null : /^[1-9][0-9]{0,15}$/.test(addressIdText) ? Number(addressIdText) : (problems.push({ field: 'address_id', message: `names no address (${addressIdText})` }), null);
  const location: LocationInput = { addressId, text: one(fields, 'address_string') ?? '', latitude: lat, longitude: long };
  // Only public codes may be reported from outside; any other code is, to a partner, no service at all.
  const service = publicProblemCode(db, code);
  if (!service) throw new DomainError('NOT_FOUND', `service_code ${code} was not found: see services.xml for the services that can be reported.`);
  const report = { problemCode: code, answers: answersOf(fields, service.questions), location, description };
  problems.push(...reportProblems(db, report).map(asArgument));
  const email = one(fields, 'email');
  if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push({ field: 'email', message: `is not an e-mail address (${email})` });
  const mediaUrl = one(fields, 'media_url') ?? null;
  const media = mediaUrlProblem(mediaUrl);
  if (media) problems.push({ field: 'media_url', message: media });
  if (problems.length > 0) throw new DomainError('VALIDATION_FAILED', `The report is not valid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);

  const reporter = { name: [one(fields, 'first_name'), one(fields, 'last_name')].filter(Boolean).join(' '), email, phone: one(fields, 'phone') };
  const token = randomUUID();
  const by = { reporter, notes: `Reported through ${key.key.partner} (Open311)` };
  const saved = submitAndFile(db, actor, { channel: 'open311', source: key.key.partner, mediaUrl, open311Token: token, ...report }, by, options).request;
  return {
    service_request_id: saved.number,
    token,
    service_notice: serviceNoticeOf(db, code),
    account_id: one(fields, 'account_id') ?? null,
    expected_datetime: saved.promisedAt,
  };
}
