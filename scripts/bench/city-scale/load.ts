// What the city-scale benchmark asks of the server, over HTTP with autocannon, as signed-in staff: the
// desk's intake as a clerk does it (every request of a contact, in order), the searches a clerk types,
// the dispatch queue, a report, Open311 — and the bare stack's one insert, to compare with.
import { randomUUID } from 'node:crypto';
import autocannon, { type Request as CannonRequest } from 'autocannon';
import Database from 'better-sqlite3';
import type { Question } from '../../../server/hierarchy/files.ts';
import { seededRandom } from '../lib.ts';
import { benchPassword } from './build.ts';

/** A signed-in session: the cookie and the CSRF token every change carries. */
export interface Session {
  cookie: string;
  csrf: string;
}

export async function signIn(url: string, username: string): Promise<Session> {
  const response = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: benchPassword }) });
  if (!response.ok) throw new Error(`signing in as ${username}: ${response.status} ${await response.text()}`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { cookie, csrf: csrfToken };
}

/** What the load is made of, read from the database before the server starts. */
export interface LoadData {
  /** Problem codes to report, with answers to their required questions. */
  codes: { code: string; answers: Record<string, unknown> }[];
  /** Open work orders inside a 30-day window: a report of the same code at the same address may join one. */
  openWork: { code: string; addressId: number }[];
  addressCount: number;
  codeQueries: string[];
  kbQueries: string[];
  departments: string[];
}

function answerTo(q: Question): unknown {
  switch (q.datatype) {
    case 'singlevaluelist':
      return q.values?.[0]?.key ?? 'x';
    case 'multivaluelist':
      return [q.values?.[0]?.key ?? 'x'];
    case 'number':
      return 1;
    case 'datetime':
      return new Date().toISOString();
    default:
      return 'As the caller described it';
  }
}

/** Whole words of 3+ letters and their 3–5 letter beginnings: what a clerk types. */
function queriesFrom(texts: string[], n: number, random: () => number): string[] {
  const words = [...new Set(texts.flatMap((t) => t.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((w) => w.length >= 3))];
  const queries: string[] = [];
  for (let i = 0; i < n && words.length > 0; i++) {
    const word = words[Math.floor(random() * words.length)]!;
    queries.push(random() < 0.6 ? word.slice(0, 3 + Math.floor(random() * 3)) : word);
  }
  return queries;
}

export function readLoadData(databasePath: string): LoadData {
  const db = new Database(databasePath, { readonly: true });
  try {
    const { random } = seededRandom(311);
    const nodes = db.prepare("SELECT code, name, settings FROM hierarchy_nodes WHERE level = 'problem_code' AND status = 'active'").all() as { code: string; name: string; settings: string }[];
    const codes = nodes.map((n) => {
      const questions = ((JSON.parse(n.settings) as { questions?: Question[] }).questions ?? []).filter((q) => q.variable && q.required);
      return { code: n.code, answers: Object.fromEntries(questions.map((q) => [q.code, answerTo(q)])) };
    });
    const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const openWork = db
      .prepare(`SELECT n.code, w.address_id AS addressId FROM work_orders w JOIN hierarchy_nodes n ON n.id = w.problem_code_id
        WHERE w.status IN ('new', 'assigned', 'in_progress', 'on_hold') AND w.created_at >= ? AND w.address_id IS NOT NULL ORDER BY w.id DESC LIMIT 2000`)
      .all(since) as { code: string; addressId: number }[];
    const addressCount = (db.prepare('SELECT max(id) AS n FROM addresses').get() as { n: number }).n;
    const titles = (db.prepare("SELECT title FROM kb_articles WHERE status = 'published' LIMIT 5000").all() as { title: string }[]).map((r) => r.title);
    const departments = (db.prepare("SELECT code FROM hierarchy_nodes WHERE level = 'department'").all() as { code: string }[]).map((r) => r.code);
    return { codes, openWork, addressCount, codeQueries: queriesFrom(nodes.map((n) => n.name), 2000, random), kbQueries: queriesFrom(titles, 2000, random), departments };
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// The desk's intake: each contact is every request a clerk's screen sends, one after another

interface Contact {
  number?: string;
  version?: number;
  candidates?: { number: string; strong: boolean }[];
  failed?: boolean;
}
type Step = CannonRequest;
type OnResponse = (status: number, body: string, context: Contact) => void;
// autocannon types the context as `object`; a contact's steps share one Contact.
const handler = (fn: OnResponse) => fn as unknown as CannonRequest['onResponse'];
/** A request made just before it is sent; undefined starts the connection's sequence over. */
const setup = (fn: (request: CannonRequest, context: Contact) => CannonRequest | undefined) => fn as unknown as CannonRequest['setupRequest'];

const json = (session: Session) => ({ 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf });

/** Keeps the request's number and version from an answer; a failed step makes the rest of the contact start over. */
function keep(status: number, body: string, context: Contact): void {
  if (status >= 300) {
    context.failed = true;
    return;
  }
  const answer = JSON.parse(body) as { number?: string; version?: number };
  if (answer.number && answer.version) {
    context.number = answer.number;
    context.version = answer.version;
  }
}

/** A step of a contact on the request made by its first step. */
function onRequest(session: Session, method: 'GET' | 'POST' | 'PATCH', suffix: string, body: (context: Contact) => unknown, onResponse: OnResponse = keep): Step {
  return {
    method,
    headers: json(session),
    setupRequest: setup((request, context) => {
      if (context.failed || !context.number) return undefined;
      const payload = body(context);
      return { ...request, path: `/api/requests/${context.number}${suffix}`, ...(payload === undefined ? {} : { body: JSON.stringify(payload) }) };
    }),
    onResponse: handler(onResponse),
  };
}

function intakeSteps(session: Session, data: LoadData): Step[] {
  const { random } = seededRandom(20261122);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const open = (channel: string): Step => ({
    method: 'POST',
    path: '/api/requests',
    headers: json(session),
    setupRequest: setup((request, context) => {
      for (const key of Object.keys(context)) delete context[key as keyof Contact];
      return { ...request, headers: { ...request.headers, 'idempotency-key': randomUUID() }, body: JSON.stringify({ channel }) };
    }),
    onResponse: handler(keep),
  });
  const complete = onRequest(session, 'POST', '/complete', (c) => ({ version: c.version }));

  const action = (): Step[] => [
    open('phone'),
    onRequest(session, 'PATCH', '', (c) => {
      // Three reports in ten are of a problem already open at that address: they may join its work order.
      const same = data.openWork.length > 0 && random() < 0.3 ? pick(data.openWork) : null;
      const code = same ? (data.codes.find((x) => x.code === same.code) ?? pick(data.codes)) : pick(data.codes);
      const addressId = same ? same.addressId : 1 + Math.floor(random() * data.addressCount);
      return { version: c.version, type: 'action', problemCode: code.code, answers: code.answers, location: { addressId }, description: 'Reported by phone' };
    }),
    complete,
    onRequest(session, 'GET', '/duplicates', () => undefined, (status: number, body: string, context: Contact) => {
      if (status >= 300) context.failed = true;
      else context.candidates = (JSON.parse(body) as { candidates: { number: string; strong: boolean }[] }).candidates;
    }),
    onRequest(session, 'POST', '/work-order', (c) => {
      const top = c.candidates?.[0];
      if (top?.strong) return { version: c.version, decision: 'link', workOrder: top.number };
      return { version: c.version, decision: 'create', ...(c.candidates?.length ? { reason: 'The caller describes another problem' } : {}) };
    }),
  ];
  const information = (): Step[] => [
    open('phone'),
    onRequest(session, 'PATCH', '', (c) => ({ version: c.version, type: 'information', description: 'When is trash day on my street?', answer: 'Tuesday, from 7 a.m.', resolvedAtFirstContact: true })),
    complete,
  ];
  const comment = (): Step[] => [
    open('phone'),
    onRequest(session, 'PATCH', '', (c) => ({ version: c.version, type: 'comment', commentKind: 'compliment', description: 'Thank you to the crew on my street.' })),
    complete,
  ];
  // Ten contacts: six action requests, three information requests, one comment.
  return [action, information, action, comment, action, information, action, action, information, action].flatMap((flow) => flow());
}

// ---------------------------------------------------------------------------------------------------
// Scenarios

export interface Scenario {
  name: string;
  /** What one request of it is, in words for the report. */
  what: string;
  requests: (url: string) => Step[];
  /** Requests per contact, for the intake: throughput is also told in contacts. */
  perContact?: number;
}

/** A GET whose path is drawn anew for each request. */
function varied(session: Session | null, path: () => string): Step[] {
  return [{ method: 'GET', headers: session ? { cookie: session.cookie } : {}, setupRequest: setup((request) => ({ ...request, path: path() })) }];
}

export function scenarios(clerk: Session, dispatcher: Session, data: LoadData): Scenario[] {
  const { random } = seededRandom(7);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const intake = intakeSteps(clerk, data);
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
  return [
    { name: 'intake (desk, mixed)', what: 'each request of a desk contact in order: 6 in 10 action (create, classify and locate, complete, duplicate search, link or create the work order), 3 information, 1 comment', requests: () => intake, perContact: intake.length / 10 },
    { name: 'problem-code search', what: 'GET /api/hierarchy/search?q= a word or its beginning from a code name', requests: () => varied(clerk, () => `/api/hierarchy/search?q=${encodeURIComponent(pick(data.codeQueries))}`) },
    { name: 'knowledge-base search', what: 'GET /api/kb/search?q= a word or its beginning from a published title', requests: () => varied(clerk, () => `/api/kb/search?q=${encodeURIComponent(pick(data.kbQueries))}`) },
    { name: 'dispatch queue', what: 'GET /api/work-orders (open, by due date, 50 a page), half of them filtered by a department', requests: () => varied(dispatcher, () => (random() < 0.5 ? '/api/work-orders' : `/api/work-orders?department=${encodeURIComponent(pick(data.departments))}`)) },
    { name: 'report (volumes, 30 days)', what: `GET /api/reports/volumes?from=${monthAgo}&to=${today}`, requests: () => varied(dispatcher, () => `/api/reports/volumes?from=${monthAgo}&to=${today}`) },
    { name: 'Open311 GET requests', what: 'GET /open311/v2/requests.json (the default 90 days, up to 1,000 requests)', requests: () => varied(null, () => '/open311/v2/requests.json') },
  ];
}

export const bareScenario: Scenario = {
  name: 'bare stack: insert one row',
  what: 'POST /rows {"text": …}: one Fastify route, one better-sqlite3 INSERT',
  requests: () => [{ method: 'POST', path: '/rows', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Pothole in the right lane at 12 Hereford St' }) }],
};

export interface Measured {
  scenario: Scenario;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export async function measure(url: string, scenario: Scenario, options: { connections: number; seconds: number }): Promise<Measured> {
  const result = await autocannon({ url, connections: options.connections, duration: options.seconds, requests: scenario.requests(url), initialContext: {} });
  return {
    scenario,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
