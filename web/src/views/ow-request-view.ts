import { Task } from '@lit/task';
import type { RouterLocation } from '@vaadin/router';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import '../components/ow-duplicate-candidates.ts';
import { viewStyles } from '../components/shared-styles.ts';
import { ApiError } from '../data/api.ts';
import type { AuditEntry } from '../data/audit.ts';
import { getNode, levelNames, type Level, type Question } from '../data/hierarchy.ts';
import {
  cancelRequest,
  channelNames,
  commentKindNames,
  getRequest,
  promiseWords,
  replyMethodNames,
  replyToRequest,
  requestHistory,
  statusNames,
  typeNames,
  type Answer,
  type CustomerRequest,
  type FileResult,
} from '../data/requests.ts';
import { currentUser, type User } from '../data/session.ts';
import { workOrderStatusNames } from '../data/work-orders.ts';

interface Loaded {
  request: CustomerRequest;
  history: AuditEntry[];
  /** The problem code's questions as it defines them now, by code; null when there is no code or it could not be read. */
  questions: Map<string, Question> | null;
  user: User | null;
}

const empty = (value: unknown) => value === null || value === undefined || value === '';
const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

/** "4 min 12 s": how long a contact lasted. */
function duration(fromIso: string, toIso: string): string {
  const seconds = Math.max(0, Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', h ? '' : `${s} s`].filter(Boolean).join(' ');
}

const actionNames: Record<string, string> = {
  'request.created': 'Contact started',
  'request.updated': 'Changed',
  'request.completed': 'Completed',
  'request.converted': 'Converted to an action request',
  'request.cancelled': 'Cancelled',
  'request.replied': 'Reply recorded',
  'request.article_used': 'Knowledge-base article used',
  'request.article_removed': 'Knowledge-base article removed',
  'request.linked': 'Put on a work order',
  'request.moved': 'Moved to another work order',
  'request.closed': 'Closed with its work order',
  'request.reopened': 'Reopened with its work order',
  'request.answer_sent': 'Answer to the caller sent',
  'request.answer_withdrawn': 'Answer to the caller withdrawn (the work order was reopened)',
};

/** The names of the stored fields a history entry shows. */
const fieldNames: Record<string, string> = {
  number: 'Number',
  type: 'Type',
  status: 'Status',
  channel: 'Channel',
  source: 'Source',
  clerkId: 'Clerk',
  contactId: 'Caller',
  description: 'Description',
  answer: 'Answer given',
  resolvedAtFirstContact: 'Resolved at first contact',
  convertedAt: 'Converted',
  problemCode: 'Problem code',
  classification: 'Classification',
  answers: 'Answers',
  addressId: 'Address (registry)',
  locationText: 'Location',
  latitude: 'Latitude',
  longitude: 'Longitude',
  commentKind: 'Comment kind',
  about: 'About',
  replyWanted: 'Reply wanted',
  replyMethod: 'Reply by',
  replyTo: 'Reply to',
  replyText: 'Reply',
  repliedAt: 'Replied',
  cancelReason: 'Reason for cancelling',
  startedAt: 'Started',
  endedAt: 'Ended',
  closedAt: 'Closed',
  version: 'Version',
  article: 'Article',
  workOrder: 'Work order',
  promisedAt: 'Promised to the caller',
  newWorkReason: 'Why new work',
  resolution: 'Resolution',
};

const dateFields = new Set(['convertedAt', 'repliedAt', 'startedAt', 'endedAt', 'closedAt', 'promisedAt']);
const named: Record<string, Record<string, string>> = {
  type: typeNames,
  status: statusNames,
  channel: channelNames,
  commentKind: commentKindNames,
  replyMethod: replyMethodNames,
};

const errorOf = (error: unknown) => (error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', error instanceof Error ? error.message : String(error)));

/** One customer request, readable: everything recorded about it, its contact, its full history, and what can still be done. */
@customElement('ow-request-view')
export class OwRequestView extends LitElement {
  static override styles = [
    viewStyles,
    css`
      :host { max-width: 64rem; }
      .subtitle { margin: 0 0 1rem; color: var(--ow-muted); display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
      .badge { display: inline-block; border: 1px solid var(--ow-border); border-radius: 999px; padding: 0.05rem 0.6rem; background: var(--ow-surface); font-size: 0.85rem; color: var(--ow-text); }
      .badge.awaiting_reply { background: #fff4e0; border-color: #e8b86b; }
      .badge.open, .badge.ready { background: #e6f0fa; border-color: #9dc0e6; }
      .badge.in_progress { background: #e8f5ee; border-color: #b7e0c7; }
      .promised { font-weight: 600; }
      section.todo { border: 0; padding: 0; background: none; }
      .badge.cancelled { background: #f3f3f3; }
      section { background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; padding: 0.25rem 1rem 0.75rem; margin-bottom: 1rem; }
      section h2 { margin-top: 0.75rem; }
      dl { display: grid; grid-template-columns: minmax(9rem, max-content) 1fr; gap: 0.35rem 1rem; margin: 0; }
      dt { color: var(--ow-muted); font-size: 0.9rem; }
      dd { margin: 0; }
      /* What people wrote keeps its line breaks. */
      .text { white-space: pre-line; }
      .notice { margin-bottom: 0.75rem; }
      details { margin-bottom: 1rem; }
      ul.plain { margin: 0; padding: 0; list-style: none; }
      .muted { color: var(--ow-muted); }
      .code { font-size: 0.8rem; color: var(--ow-muted); }
      .warning { color: #8a4b00; background: #fff4e0; border: 1px solid #e8b86b; border-radius: 4px; padding: 0.4rem 0.7rem; margin: 0.5rem 0 0; }
      .actions { display: flex; gap: 1rem; flex-wrap: wrap; align-items: center; margin-bottom: 1rem; }
      textarea { font: inherit; font-weight: 400; padding: 0.45rem 0.6rem; border: 1px solid var(--ow-border); border-radius: 4px; min-height: 5rem; }
      textarea[aria-invalid='true'] { border-color: var(--ow-danger); }
      form { max-width: 40rem; }
      details summary { cursor: pointer; color: var(--ow-danger); font-weight: 600; padding: 0.3rem 0; }
      details form { margin-top: 0.5rem; }
      button.danger { color: var(--ow-danger); border-color: var(--ow-danger); }
      ol.history { list-style: none; margin: 0; padding: 0; }
      ol.history > li { border-left: 3px solid var(--ow-border); padding: 0.35rem 0 0.5rem 0.9rem; margin-bottom: 0.4rem; }
      .entry-head { display: flex; gap: 0.6rem; flex-wrap: wrap; align-items: baseline; }
      .entry-head strong { font-size: 0.95rem; }
      .changes { margin-top: 0.35rem; font-size: 0.88rem; }
      .changes dt { font-size: 0.85rem; }
      .before { color: var(--ow-muted); text-decoration: line-through; }
      .arrow { color: var(--ow-muted); padding: 0 0.3rem; }
      del.before { text-decoration: line-through; }
      ins { text-decoration: none; }
    `,
  ];

  /** Set by the router; `params.number` names the request. */
  @property({ attribute: false }) location?: RouterLocation;

  @state() private replyError: ApiError | null = null;
  @state() private cancelError: ApiError | null = null;
  @state() private notice = '';
  @state() private busy = false;

  private get number(): string {
    const fromRouter = this.location?.params['number'];
    return typeof fromRouter === 'string' ? fromRouter : decodeURIComponent(window.location.pathname.split('/').pop() ?? '');
  }

  private readonly data = new Task(this, {
    task: async ([number], { signal }): Promise<Loaded> => {
      const [request, history, user] = await Promise.all([getRequest(number, signal), requestHistory(number, signal), currentUser().catch(() => null)]);
      let questions: Map<string, Question> | null = null;
      if (request.problemCode) {
        // The wording of the questions helps the reader; without it the answers still show by code.
        const node = await getNode(request.problemCode, signal).catch((error: unknown) => {
          if (signal.aborted) throw error;
          return null;
        });
        if (node) questions = new Map((node.settings.questions ?? []).map((q) => [q.code, q]));
      }
      return { request, history: history.items, questions, user };
    },
    args: () => [this.number] as const,
  });

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // Another request opened in the same element (a sibling's link): forget what was said about this one.
    if (changed.has('location')) {
      this.replyError = null;
      this.cancelError = null;
      this.notice = '';
    }
  }

  // -------------------------------------------------------------------------------------------
  // Actions

  private async reply(event: SubmitEvent, request: CustomerRequest): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const text = String(new FormData(form).get('text') ?? '').trim();
    this.notice = '';
    if (text === '') {
      this.replyError = new ApiError(400, 'VALIDATION', 'Write what was replied.', [{ field: '/body/text', message: 'is required: write what was replied to the customer' }]);
      form.querySelector('textarea')?.focus();
      return;
    }
    this.busy = true;
    try {
      await replyToRequest(request.number, request.version, text);
      this.replyError = null;
      this.notice = `Reply recorded. ${request.number} is closed and has left the replies owed.`;
      await this.data.run();
    } catch (error) {
      this.replyError = errorOf(error);
    } finally {
      this.busy = false;
    }
  }

  private async cancel(event: SubmitEvent, request: CustomerRequest): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const reason = String(new FormData(form).get('reason') ?? '').trim();
    this.notice = '';
    if (reason === '') {
      this.cancelError = new ApiError(400, 'VALIDATION', 'Say why the request is cancelled.', [{ field: '/body/reason', message: 'is required: why the request is cancelled' }]);
      form.querySelector('textarea')?.focus();
      return;
    }
    this.busy = true;
    try {
      await cancelRequest(request.number, request.version, reason);
      this.cancelError = null;
      this.notice = `${request.number} is cancelled. Nothing is deleted: it stays on record with the reason.`;
      await this.data.run();
    } catch (error) {
      this.cancelError = errorOf(error);
    } finally {
      this.busy = false;
    }
  }

  /** The request went on a work order from this record: say what to tell the caller, and show it as saved. */
  private async filed(result: FileResult): Promise<void> {
    const r = result.request;
    const due = r.promisedAt ?? r.workOrder?.dueAt;
    this.notice = `${r.number} is on work order ${result.workOrder} (${result.linked ? 'linked to an existing one' : 'a new one'}).${due ? ` Tell the caller: we expect this done by ${promiseWords(due)}.` : ''}`;
    await this.data.run();
  }

  // -------------------------------------------------------------------------------------------
  // Rendering helpers

  private row(label: string, value: unknown, text = false) {
    if (value === undefined || value === null || value === '' || value === nothing) return nothing;
    return html`<dt>${label}</dt><dd class=${text ? 'text' : ''}>${value}</dd>`;
  }

  /** A textarea with its label and, under it, the form's or the server's message for `name`. */
  private textarea(name: string, label: string, error: ApiError | null, hint: string) {
    const message = error?.details.find((d) => d.field === `/body/${name}`)?.message;
    const id = `${name}-error`;
    return html`<div class="field"><label>${label}
        <textarea name=${name} ?required=${true} aria-invalid=${message ? 'true' : 'false'} aria-describedby=${ifDefined(message ? id : `${name}-hint`)}></textarea>
      </label>
      ${message ? html`<span class="field-error" id=${id} role="alert">${label} ${message}.</span>` : html`<span class="muted" id="${name}-hint">${hint}</span>`}</div>`;
  }

  /** A form-level message for errors that belong to no field (a version conflict, a status change). */
  private formError(error: ApiError | null, field: string) {
    if (!error || error.details.some((d) => d.field === `/body/${field}`)) return nothing;
    return html`<div class="form-error" role="alert">${error.summary}
      ${error.code === 'VERSION_CONFLICT' ? html`<button type="button" class="link" @click=${() => void this.data.run()}>Reload the request</button>` : nothing}</div>`;
  }

  private answerValue(value: Answer, question: Question | undefined): string {
    const name = (key: string) => question?.values?.find((v) => v.key === key)?.name ?? key;
    if (Array.isArray(value)) return value.map(name).join(', ');
    if (typeof value === 'string' && question?.datatype === 'datetime') return when(value);
    return typeof value === 'string' ? name(value) : String(value);
  }

  /** A recorded value as a person reads it. */
  private value(field: string, value: unknown, loaded: Loaded): string {
    if (value === null || value === undefined || value === '') return '—';
    if (typeof value === 'boolean') return value ? 'Yes' : 'No';
    if (typeof value === 'string' && named[field]?.[value]) return named[field][value];
    if (typeof value === 'string' && dateFields.has(field)) return when(value);
    const { request } = loaded;
    if (field === 'clerkId' && request.clerk && value === request.clerk.id) return `${request.clerk.displayName} (${request.clerk.username})`;
    if (field === 'contactId' && request.contact && value === request.contact.id) return request.contact.name || `caller #${request.contact.id}`;
    if (field === 'contactId' || field === 'clerkId' || field === 'addressId') return `#${String(value)}`;
    if (field === 'about' && request.about?.code === value) return `${request.about.name} (${request.about.code})`;
    if (field === 'problemCode' && request.classification?.code === value) return `${request.classification.name} (${request.classification.code})`;
    if (field === 'answers' && typeof value === 'object') {
      return Object.entries(value as Record<string, Answer>)
        .map(([code, answer]) => {
          const question = loaded.questions?.get(code);
          const asked = question?.description ?? code;
          return `${asked}${/[?:]$/.test(asked) ? '' : ':'} ${this.answerValue(answer, question)}`;
        })
        .join('; ');
    }
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }

  // -------------------------------------------------------------------------------------------
  // Sections

  private renderOverview(loaded: Loaded) {
    const r = loaded.request;
    let length: string | TemplateResult = '—';
    if (r.endedAt) length = duration(r.startedAt, r.endedAt);
    else if (r.status === 'open') length = html`<span class="muted">still going (started ${duration(r.startedAt, new Date().toISOString())} ago)</span>`;
    return html`<section aria-labelledby="overview">
      <h2 id="overview">Overview</h2>
      <dl>
        <dt>Type</dt><dd>${r.type ? typeNames[r.type] : html`<span class="muted">not chosen yet</span>`}</dd>
        <dt>Status</dt><dd>${statusNames[r.status]}</dd>
        <dt>Channel</dt><dd>${channelNames[r.channel]}${r.source ? ` (${r.source})` : ''}</dd>
        <dt>Taken by</dt><dd>${r.clerk ? `${r.clerk.displayName} (${r.clerk.username})` : html`<span class="muted">no clerk: arrived through ${r.source || channelNames[r.channel]}</span>`}</dd>
        <dt>Started</dt><dd>${when(r.startedAt)}</dd>
        <dt>Ended</dt><dd>${when(r.endedAt)}</dd>
        <dt>Contact length</dt><dd>${length}</dd>
        ${this.row('Converted to action', r.convertedAt ? when(r.convertedAt) : '')}
        ${this.row('Closed', r.closedAt ? when(r.closedAt) : '')}
        ${this.row('Reason for cancelling', r.cancelReason, true)}
        <dt>Last changed</dt><dd>${when(r.updatedAt)} (version ${r.version})</dd>
      </dl>
    </section>`;
  }

  private renderCaller(r: CustomerRequest) {
    const c = r.contact;
    return html`<section aria-labelledby="caller">
      <h2 id="caller">Caller</h2>
      ${c
        ? html`<dl>
            <dt>Name</dt><dd>${c.name || html`<span class="muted">no name given</span>`}</dd>
            ${this.row('Organisation', c.organisation)}
            ${this.row('Phones', c.phones.length ? html`<ul class="plain">${c.phones.map((p) => html`<li>${p.number}${p.label ? html` <span class="muted">(${p.label})</span>` : nothing}</li>`)}</ul>` : '')}
            ${this.row('E-mails', c.emails.length ? html`<ul class="plain">${c.emails.map((e) => html`<li>${e}</li>`)}</ul>` : '')}
            ${this.row('Postal address', c.postalAddress)}
            ${this.row('Prefers replies by', c.preferredReply ? replyMethodNames[c.preferredReply] : '')}
          </dl>`
        : html`<p>Anonymous: no caller was recorded.</p>`}
    </section>`;
  }

  private renderInformation(r: CustomerRequest) {
    return html`<section aria-labelledby="details">
      <h2 id="details">Question and answer</h2>
      <dl>
        <dt>Question</dt><dd class="text">${r.description || html`<span class="muted">not written</span>`}</dd>
        <dt>Answer given</dt><dd class="text">${r.answer || html`<span class="muted">${r.articles.length ? 'from the articles below' : 'not written'}</span>`}</dd>
        <dt>Articles used</dt><dd>${r.articles.length ? html`<ul class="plain">${r.articles.map((a) => html`<li>${a.title} <span class="code">${a.slug}</span></li>`)}</ul>` : html`<span class="muted">none</span>`}</dd>
        ${this.row('Resolved at first contact', r.resolvedAtFirstContact === null ? '' : r.resolvedAtFirstContact ? 'Yes' : 'No')}
      </dl>
    </section>`;
  }

  private renderAction(loaded: Loaded) {
    const r = loaded.request;
    const c = r.classification;
    const answers = Object.entries(r.answers);
    const location = r.location;
    return html`<section aria-labelledby="details">
      <h2 id="details">Problem</h2>
      <dl>
        <dt>Problem code</dt>
        <dd>${c
          ? html`${c.name} <span class="code">${c.code}</span>
              <div class="muted">${[...c.path.map((p) => p.name), c.name].join(' › ')}</div>
              ${r.problemCodeStatus === 'retired'
                ? html`<p class="warning">This problem code has been retired since; the request keeps the classification as it was recorded.</p>`
                : nothing}`
          : html`<span class="muted">not chosen yet</span>`}</dd>
        <dt>Problem as told</dt><dd class="text">${r.description || html`<span class="muted">not written</span>`}</dd>
        <dt>Location</dt>
        <dd>${location
          ? html`${location.text || html`<span class="muted">no address</span>`}
              ${location.latitude !== null && location.longitude !== null ? html`<div class="muted">${location.latitude.toFixed(5)}, ${location.longitude.toFixed(5)}</div>` : nothing}
              <div>${location.verified ? html`<span class="badge">verified in the address registry</span>` : html`<span class="badge">unverified</span>`}</div>`
          : html`<span class="muted">not given yet</span>`}</dd>
        ${r.mediaUrl ? html`<dt>Photo</dt><dd><a href=${r.mediaUrl} target="_blank" rel="noopener noreferrer">the reporter's photo</a> <span class="muted">(${new URL(r.mediaUrl).host})</span></dd>` : nothing}
        <dt>Answers</dt>
        <dd>${answers.length
          ? html`<dl>${answers.map(([code, value]) => {
              const question = loaded.questions?.get(code);
              return html`<dt>${question?.description ?? code}</dt><dd>${this.answerValue(value, question)}</dd>`;
            })}</dl>`
          : html`<span class="muted">none</span>`}</dd>
        ${this.row('Notices', r.notices.length ? html`<ul class="plain">${r.notices.map((n) => html`<li>${n.description}</li>`)}</ul>` : '')}
      </dl>
    </section>`;
  }

  /** The work order the request is on — or, for a ready request, its likely duplicates to decide on. */
  private renderWorkOrder(r: CustomerRequest) {
    const wo = r.workOrder;
    if (r.status === 'ready') {
      return html`<section class="todo" aria-label="Work order to decide">
        <ow-duplicate-candidates .number=${r.number} .version=${r.version}
          @ow-work-order-filed=${(e: CustomEvent<FileResult>) => void this.filed(e.detail)}
          @ow-request-stale=${() => void this.data.run()}></ow-duplicate-candidates>
      </section>`;
    }
    if (!wo) return nothing;
    const closed = wo.status === 'completed' || wo.status === 'cancelled';
    return html`<section aria-labelledby="work-order">
      <h2 id="work-order">Work order</h2>
      <dl>
        <dt>Work order</dt><dd><a href="/work-orders/${wo.number}">${wo.number}</a></dd>
        <dt>Its status</dt><dd>${workOrderStatusNames[wo.status] ?? wo.status}</dd>
        <dt>Assigned to</dt><dd>${wo.assignee || html`<span class="muted">not assigned yet</span>`}</dd>
        <dt>Promised to the caller</dt><dd class="promised">${r.promisedAt ? promiseWords(r.promisedAt) : html`<span class="muted">no date was promised</span>`}</dd>
        ${!closed && r.promisedAt && Date.parse(wo.dueAt) !== Date.parse(r.promisedAt) ? this.row('Work order due now', promiseWords(wo.dueAt)) : nothing}
        ${this.row('Why new work', r.newWorkReason, true)}
        ${this.row('Resolution', r.resolution, true)}
      </dl>
    </section>`;
  }

  private renderComment(r: CustomerRequest) {
    const about = r.about;
    return html`<section aria-labelledby="details">
      <h2 id="details">Comment</h2>
      <dl>
        <dt>Kind</dt><dd>${r.commentKind ? commentKindNames[r.commentKind] : html`<span class="muted">not chosen</span>`}</dd>
        <dt>About</dt>
        <dd>${about
          ? html`${about.name} <span class="code">${about.code}</span> <span class="muted">(${levelNames[about.level as Level] ?? about.level})</span>
              ${about.status === 'retired' ? html`<p class="warning">Retired since the comment was made.</p>` : nothing}`
          : html`<span class="muted">not said</span>`}</dd>
        <dt>Comment</dt><dd class="text">${r.description || html`<span class="muted">not written</span>`}</dd>
      </dl>
    </section>`;
  }

  private renderReplySection(r: CustomerRequest) {
    if (!r.replyWanted && !r.replyText) return nothing;
    return html`<section aria-labelledby="reply">
      <h2 id="reply">Reply to the customer</h2>
      <dl>
        <dt>Reply wanted</dt><dd>${r.replyWanted ? 'Yes' : 'No'}</dd>
        ${this.row('By', r.replyMethod ? replyMethodNames[r.replyMethod] : '')}
        ${this.row('To', r.replyTo)}
        ${this.row('Replied', r.repliedAt ? when(r.repliedAt) : '')}
        ${this.row('What was replied', r.replyText, true)}
      </dl>
      ${r.status === 'awaiting_reply' ? this.renderReplyForm(r) : nothing}
    </section>`;
  }

  private renderReplyForm(r: CustomerRequest) {
    const how = r.replyMethod ? `${replyMethodNames[r.replyMethod]}${r.replyTo ? ` to ${r.replyTo}` : ''}` : r.replyTo ? `to ${r.replyTo}` : 'the way the customer asked';
    return html`<form aria-label="Record the reply" @submit=${(e: SubmitEvent) => void this.reply(e, r)} novalidate>
      ${this.textarea('text', 'Reply', this.replyError, `Reply by ${how}, then record here what was said or sent.`)}
      ${this.formError(this.replyError, 'text')}
      <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>Record reply and close</button></div>
    </form>`;
  }

  private renderCancel(r: CustomerRequest) {
    if (!['open', 'ready', 'awaiting_reply'].includes(r.status)) return nothing;
    return html`<details ?open=${this.cancelError !== null}>
      <summary>Cancel this request…</summary>
      <form aria-label="Cancel the request" @submit=${(e: SubmitEvent) => void this.cancel(e, r)} novalidate>
        ${this.textarea('reason', 'Reason', this.cancelError, 'Nothing is deleted: the request stays on record as cancelled, with this reason.')}
        ${this.formError(this.cancelError, 'reason')}
        <div class="actions"><button class="danger" type="submit" ?disabled=${this.busy}>Cancel request</button></div>
      </form>
    </details>`;
  }

  private renderSiblings(r: CustomerRequest) {
    const others = r.siblings.filter((s) => s.number !== r.number);
    return html`<section aria-labelledby="siblings">
      <h2 id="siblings">Other requests of the same contact</h2>
      ${others.length
        ? html`<ul>${others.map((s) => html`<li><a href="/requests/${s.number}">${s.number}</a> — ${s.type ? typeNames[s.type] : 'type not chosen'}, ${statusNames[s.status]}</li>`)}</ul>`
        : html`<p>None: this was the only request of the contact.</p>`}
    </section>`;
  }

  private renderHistory(loaded: Loaded) {
    const items = loaded.history;
    return html`<section aria-labelledby="history">
      <h2 id="history">History</h2>
      ${items.length === 0
        ? html`<p>No changes are recorded.</p>`
        : html`<ol class="history" aria-label="Changes, oldest first">
            ${items.map((e) => {
              // Bookkeeping (the version) and fields a new request starts without say nothing to the reader.
              const changes = Object.entries(e.changes ?? {}).filter(([field, { before, after }]) => field !== 'version' && !(empty(before) && empty(after)));
              return html`<li>
                <div class="entry-head"><strong>${actionNames[e.action] ?? e.action}</strong>
                  <span>${when(e.at)}</span> <span class="muted">by ${e.actorLabel}</span></div>
                ${changes.length
                  ? html`<dl class="changes">${changes.map(
                      ([field, { before, after }]) => html`<dt>${fieldNames[field] ?? field}</dt>
                        <dd class="text">${empty(before)
                          ? html`<ins>${this.value(field, after, loaded)}</ins>`
                          : html`<del class="before">${this.value(field, before, loaded)}</del><span class="arrow" aria-label="changed to">→</span><ins>${this.value(field, after, loaded)}</ins>`}</dd>`,
                    )}</dl>`
                  : nothing}
              </li>`;
            })}
          </ol>`}
    </section>`;
  }

  private renderRequest(loaded: Loaded) {
    const r = loaded.request;
    const mine = r.status === 'open' && r.clerk !== null && loaded.user !== null && r.clerk.id === loaded.user.id;
    return html`<h1>Request ${r.number}</h1>
      <p class="subtitle">
        <span class="badge">${r.type ? typeNames[r.type] : 'Type not chosen'}</span>
        <span class="badge ${r.status}">${statusNames[r.status]}</span>
        <span>${channelNames[r.channel]}, ${when(r.startedAt)}</span>
      </p>
      ${this.notice ? html`<div class="notice" role="status">${this.notice}</div>` : nothing}
      <div class="actions">
        <a href="/requests">← All requests</a>
        ${mine ? html`<a href="/desk/${r.number}">Continue at the desk</a>` : nothing}
      </div>
      ${r.status === 'ready' ? this.renderWorkOrder(r) : nothing}
      ${this.renderOverview(loaded)}
      ${this.renderCaller(r)}
      ${r.type === 'information' ? this.renderInformation(r) : nothing}
      ${r.type === 'action' ? this.renderAction(loaded) : nothing}
      ${r.status !== 'ready' ? this.renderWorkOrder(r) : nothing}
      ${r.type === 'comment' ? this.renderComment(r) : nothing}
      ${r.type === null
        ? html`<section aria-labelledby="details"><h2 id="details">What the customer said</h2><p>${r.description || 'Nothing recorded yet: the type is not chosen.'}</p></section>`
        : nothing}
      ${this.renderReplySection(r)}
      ${this.renderSiblings(r)}
      ${this.renderCancel(r)}
      ${this.renderHistory(loaded)}`;
  }

  override render() {
    return this.data.render({
      initial: () => html`<p>Loading…</p>`,
      // After a reply or a cancellation the request reloads; it stays on screen meanwhile.
      pending: () => (this.data.value?.request.number === this.number ? this.renderRequest(this.data.value) : html`<h1>Request ${this.number}</h1><p>Loading…</p>`),
      error: (error) => {
        if (error instanceof DOMException && error.name === 'AbortError') return nothing;
        const e = errorOf(error);
        return html`<h1>Request ${this.number}</h1>
          <div class="form-error" role="alert">${e.status === 404 ? `There is no request numbered ${this.number}.` : e.status === 400 ? `“${this.number}” is not a request number; they look like 2026-004217.` : `The request could not be loaded: ${e.summary}`}</div>
          <p><a href="/requests">← All requests</a></p>`;
      },
      complete: (loaded) => this.renderRequest(loaded),
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-request-view': OwRequestView;
  }
}
