import { Task } from '@lit/task';
import type { RouterLocation } from '@vaadin/router';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { viewStyles } from '../components/shared-styles.ts';
import { ApiError } from '../data/api.ts';
import type { AuditEntry } from '../data/audit.ts';
import { channelNames, replyMethodNames } from '../data/requests.ts';
import { currentUser, roleAllows, type User } from '../data/session.ts';
import {
  addWorkOrderNote,
  fromNow,
  getWorkOrder,
  linkedRequestStatusNames,
  mergeWorkOrder,
  moveWorkOrder,
  noteNeeded,
  priorityNames,
  reopenWorkOrder,
  splitRequest,
  transitionNames,
  updateWorkOrder,
  workOrderHistory,
  workOrderNumberPattern,
  workOrderStatusNames,
  type Priority,
  type WorkOrder,
  type WorkOrderChanges,
  type WorkOrderStatus,
} from '../data/work-orders.ts';

interface Loaded {
  workOrder: WorkOrder;
  history: AuditEntry[];
  user: User | null;
}

/** The forms of the view; each keeps its own error, shown next to its fields. */
type FormName = 'assign' | 'tasks' | 'status' | 'reopen' | 'note' | 'merge' | 'split';

const openStatuses: WorkOrderStatus[] = ['new', 'assigned', 'in_progress', 'on_hold'];
const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');
/** A date and time that fits a table cell. */
const short = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }) : '—');
const empty = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
const errorOf = (error: unknown) => (error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', error instanceof Error ? error.message : String(error)));

const actionNames: Record<string, string> = {
  'work_order.created': 'Work order made',
  'work_order.request_linked': 'Request linked',
  'work_order.updated': 'Changed',
  'work_order.assigned': 'Assigned',
  'work_order.in_progress': 'Work started',
  'work_order.on_hold': 'Put on hold',
  'work_order.completed': 'Completed',
  'work_order.cancelled': 'Cancelled',
  'work_order.reopened': 'Reopened',
  'work_order.note_added': 'Note added',
  'work_order.merged': 'Merged into another work order',
  'work_order.merged_in': 'Another work order merged in',
  'work_order.split': 'Request split off to a new work order',
};

const fieldNames: Record<string, string> = {
  status: 'Status',
  priority: 'Priority',
  assignee: 'Assignee',
  tasks: 'Tasks',
  workType: 'Work type',
  problemCode: 'Problem code',
  provider: 'Service provider',
  description: 'Description',
  addressId: 'Address (registry)',
  locationText: 'Location',
  latitude: 'Latitude',
  longitude: 'Longitude',
  matchValue: 'Matched on',
  temporaryDueAt: 'Temporary fix due',
  dueAt: 'Due',
  resolution: 'Resolution',
  duplicateOf: 'Duplicate of',
  closedAt: 'Closed',
  from: 'From',
  request: 'Request',
  requests: 'Requests',
  to: 'To',
  reason: 'Reason',
  note: 'Note',
};
/** Bookkeeping the reader does not need: the number is in the title, the creation time in the entry. */
const hiddenFields = new Set(['number', 'createdAt', 'version', 'updatedAt']);
const dateFields = new Set(['temporaryDueAt', 'dueAt', 'closedAt']);

function historyValue(field: string, value: unknown): string {
  if (empty(value)) return '—';
  if (field === 'status' && typeof value === 'string') return workOrderStatusNames[value as WorkOrderStatus] ?? value;
  if (field === 'priority' && typeof value === 'string') return priorityNames[value as Priority] ?? value;
  if (dateFields.has(field) && typeof value === 'string') return when(value);
  if (field === 'tasks' && Array.isArray(value)) {
    return (value as { text: string; done: boolean }[]).map((t) => `${t.done ? '☑' : '☐'} ${t.text}`).join('; ');
  }
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if ((field === 'latitude' || field === 'longitude') && typeof value === 'number') return value.toFixed(5);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

type TaskValue = { text: string; done: boolean };
const isTasks = (value: unknown): value is TaskValue[] => Array.isArray(value) && value.every((t) => typeof t === 'object' && t !== null && 'text' in t);

/** A ticked or unticked task said as such ("☑ Fill the pothole: done"), when only ticks changed; null otherwise. */
function taskChanges(before: unknown, after: unknown): string | null {
  if (!isTasks(before) || !isTasks(after) || before.length !== after.length || before.some((t, i) => t.text !== after[i]!.text)) return null;
  return after
    .filter((t, i) => t.done !== before[i]!.done)
    .map((t) => `${t.done ? '☑' : '☐'} ${t.text}: ${t.done ? 'done' : 'not done'}`)
    .join('\n');
}

/** One work order: what, where and when; who works it; its tasks, status, callers, notes and history. */
@customElement('ow-work-order-view')
export class OwWorkOrderView extends LitElement {
  static override styles = [
    viewStyles,
    css`
      :host { max-width: 76rem; }
      .subtitle { max-width: none; margin: 0 0 1rem; color: var(--ow-muted); display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
      .badge { display: inline-block; border: 1px solid var(--ow-border); border-radius: 999px; padding: 0.05rem 0.6rem; background: var(--ow-surface); font-size: 0.85rem; color: var(--ow-text); }
      .badge.new, .badge.assigned { background: #e6f0fa; border-color: #9dc0e6; }
      .badge.in_progress { background: #e8f5ee; border-color: #9fd3b4; }
      .badge.on_hold { background: #fff4e0; border-color: #e8b86b; }
      .badge.completed { background: #e8f5ee; border-color: #0f5132; }
      .badge.cancelled { background: #f3f3f3; }
      .badge.urgent, .badge.high { font-weight: 600; }
      .badge.urgent { border-color: var(--ow-danger); color: var(--ow-danger); }
      .badge.late { background: #fdecea; border-color: var(--ow-danger); color: var(--ow-danger); font-weight: 600; }
      .columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(24rem, 1fr)); gap: 1rem; align-items: start; }
      section { background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; padding: 0.25rem 1rem 0.9rem; margin-bottom: 1rem; }
      .columns section { margin-bottom: 0; }
      .columns { margin-bottom: 1rem; }
      section h2 { margin-top: 0.75rem; }
      h3 { font-size: 1rem; margin: 1rem 0 0.4rem; }
      dl { display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: 0.35rem 1rem; margin: 0; }
      dt { color: var(--ow-muted); font-size: 0.9rem; }
      dd { margin: 0; }
      .text { white-space: pre-line; }
      .muted { color: var(--ow-muted); }
      .code { font-size: 0.8rem; color: var(--ow-muted); }
      .late { color: var(--ow-danger); font-weight: 600; }
      .notice, .form-error.top { margin-bottom: 0.75rem; }
      .actions { display: flex; gap: 0.6rem; flex-wrap: wrap; align-items: center; }
      .nav { margin-bottom: 1rem; display: flex; gap: 1rem; }
      form { max-width: none; }
      form.inline { grid-template-columns: minmax(12rem, 1fr) minmax(9rem, auto); align-items: start; }
      form.inline .actions { grid-column: 1 / -1; }
      textarea { font: inherit; font-weight: 400; padding: 0.45rem 0.6rem; border: 1px solid var(--ow-border); border-radius: 4px; min-height: 4.5rem; resize: vertical; }
      textarea[aria-invalid='true'] { border-color: var(--ow-danger); }
      .hint { color: var(--ow-muted); font-weight: 400; font-size: 0.85rem; }
      button.danger { color: var(--ow-danger); border-color: var(--ow-danger); }
      ul.tasks { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35rem; }
      ul.tasks label { display: flex; gap: 0.6rem; align-items: baseline; font-weight: 400; font-size: 0.95rem; }
      ul.tasks input { width: 1.05rem; height: 1.05rem; margin: 0; position: relative; top: 0.15rem; }
      ul.tasks .done-by { font-size: 0.82rem; color: var(--ow-muted); }
      ul.tasks .done-text { text-decoration: line-through; color: var(--ow-muted); }
      table { font-size: 0.92rem; }
      td { vertical-align: top; }
      td.caller { min-width: 10rem; }
      .table-wrap { overflow-x: auto; }
      td .reply-to { overflow-wrap: anywhere; }
      td button { white-space: nowrap; }
      .nowrap { white-space: nowrap; }
      .confirm { border: 2px solid var(--ow-danger); border-radius: 4px; padding: 0.6rem 0.9rem; background: #fffaf9; display: grid; gap: 0.6rem; }
      .confirm p { margin: 0; color: var(--ow-text); max-width: none; }
      ol.notes, ol.history { list-style: none; margin: 0; padding: 0; }
      ol.notes > li, ol.history > li { border-left: 3px solid var(--ow-border); padding: 0.35rem 0 0.5rem 0.9rem; margin-bottom: 0.4rem; }
      .entry-head { display: flex; gap: 0.6rem; flex-wrap: wrap; align-items: baseline; }
      .entry-head strong { font-size: 0.95rem; }
      .changes { margin-top: 0.35rem; font-size: 0.88rem; }
      .changes dt { font-size: 0.85rem; }
      del.before { color: var(--ow-muted); text-decoration: line-through; }
      ins { text-decoration: none; }
      .arrow { color: var(--ow-muted); padding: 0 0.3rem; }
    `,
  ];

  /** Set by the router; `params.number` names the work order. */
  @property({ attribute: false }) location?: RouterLocation;

  @state() private errors: Partial<Record<FormName, ApiError>> = {};
  @state() private notice: string | TemplateResult = '';
  /** Said when a change met a newer version: the view was reloaded with it. */
  @state() private conflict = '';
  @state() private busy = false;
  /** The work order named to merge into, shown for confirmation. */
  @state() private mergeTarget: WorkOrder | null = null;
  /** The request whose "Split off…" was chosen. */
  @state() private splitting: string | null = null;

  private get number(): string {
    const fromRouter = this.location?.params['number'];
    return typeof fromRouter === 'string' ? fromRouter : decodeURIComponent(window.location.pathname.split('/').pop() ?? '');
  }

  private readonly data = new Task(this, {
    task: async ([number], { signal }): Promise<Loaded> => {
      const [workOrder, history, user] = await Promise.all([getWorkOrder(number, signal), workOrderHistory(number, signal), currentUser().catch(() => null)]);
      return { workOrder, history: history.items, user };
    },
    args: () => [this.number] as const,
  });

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // Another work order opened in the same element (a merge's link): forget what was said about this one.
    if (changed.has('location')) {
      this.errors = {};
      this.notice = '';
      this.conflict = '';
      this.mergeTarget = null;
      this.splitting = null;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Actions

  /**
   * Runs one change: on success says `success` and reloads (history included); a version conflict
   * reloads too and says so at the top; any other refusal stays with its form, next to its fields.
   */
  private async act<T>(form: FormName, run: () => Promise<T>, success: (result: T) => string | TemplateResult, focusNotice = true): Promise<boolean> {
    // One change at a time. Controls are not disabled meanwhile: that would take the focus from them.
    if (this.busy) return false;
    this.busy = true;
    this.notice = '';
    this.conflict = '';
    const { [form]: _previous, ...others } = this.errors;
    this.errors = others;
    try {
      const result = await run();
      this.notice = success(result);
      await this.data.run();
      if (focusNotice) await this.focusOn('.notice');
      return true;
    } catch (error) {
      const e = errorOf(error);
      if (e.code === 'VERSION_CONFLICT') {
        this.conflict = `${this.number} was changed by someone else while you had it open. It has been reloaded with their changes: check it, then make your change again.`;
        this.mergeTarget = null;
        await this.data.run();
        await this.focusOn('.conflict');
      } else {
        this.errors = { ...this.errors, [form]: e };
      }
      return false;
    } finally {
      this.busy = false;
    }
  }

  private async focusOn(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  /** A required text is missing: the form's error names the field, and the field gets the focus. */
  private missing(form: FormName, field: string, message: string, formElement: HTMLFormElement): void {
    this.notice = '';
    this.errors = { ...this.errors, [form]: new ApiError(400, 'VALIDATION_FAILED', message, [{ field: `/body/${field}`, message }]) };
    void this.updateComplete.then(() => formElement.querySelector<HTMLElement>(`[name=${field}]`)?.focus());
  }

  private async saveAssignment(event: SubmitEvent, wo: WorkOrder): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const changes: WorkOrderChanges = {};
    const assignee = String(data.get('assignee') ?? '').trim();
    const priority = String(data.get('priority') ?? '') as Priority;
    if (assignee !== wo.assignee) changes.assignee = assignee;
    if (priority !== wo.priority) changes.priority = priority;
    if (Object.keys(changes).length === 0) {
      this.notice = 'Nothing to save: the assignee and priority are as they were.';
      return;
    }
    await this.act(
      'assign',
      () => updateWorkOrder(wo.number, wo.version, changes),
      (after) =>
        after.status !== wo.status
          ? `Saved. ${wo.number} is now ${workOrderStatusNames[after.status].toLowerCase()}${after.assignee ? ` to ${after.assignee}` : ''}.`
          : 'Saved.',
      false,
    );
  }

  private async toggleTask(wo: WorkOrder, index: number, done: boolean): Promise<void> {
    if (this.busy) {
      // The box goes back to what is saved (live() compares with the page) until the change before it is done.
      this.requestUpdate();
      return;
    }
    const tasks = wo.tasks.map((t, i) => ({ text: t.text, done: i === index ? done : t.done }));
    const text = wo.tasks[index]?.text ?? '';
    await this.act('tasks', () => updateWorkOrder(wo.number, wo.version, { tasks }), () => `${done ? 'Done' : 'Not done'}: ${text}.`, false);
  }

  private async move(event: SubmitEvent, wo: WorkOrder): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const to = (event.submitter as HTMLButtonElement | null)?.value as WorkOrderStatus | undefined;
    if (!to) return;
    const note = String(new FormData(form).get('note') ?? '').trim();
    const needs = noteNeeded[to];
    if (needs && note === '') {
      this.missing('status', 'note', `is required to ${transitionNames[to].toLowerCase()}: ${needs}`, form);
      return;
    }
    const callers = wo.requests.filter((r) => r.status === 'in_progress');
    const answers = callers.filter((r) => r.replyWanted && r.replyMethod).length;
    const ok = await this.act(
      'status',
      () => moveWorkOrder(wo.number, wo.version, to, note || undefined),
      (after) => {
        if (after.status === 'completed' || after.status === 'cancelled') {
          return html`${wo.number} is ${workOrderStatusNames[after.status].toLowerCase()}. ${callers.length} ${callers.length === 1 ? 'request was' : 'requests were'} closed with it${answers
            ? html`; ${answers} ${answers === 1 ? 'caller is' : 'callers are'} owed an answer (<a href="/answers-owed">Answers owed</a>)`
            : ''}.`;
        }
        return `${wo.number} is ${workOrderStatusNames[after.status].toLowerCase()}.`;
      },
    );
    if (ok) form.reset();
  }

  private async reopen(event: SubmitEvent, wo: WorkOrder): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const reason = String(new FormData(form).get('reason') ?? '').trim();
    if (reason === '') {
      this.missing('reopen', 'reason', 'is required: why the work is not done', form);
      return;
    }
    const ok = await this.act('reopen', () => reopenWorkOrder(wo.number, wo.version, reason), (after) => `${wo.number} is open again (${workOrderStatusNames[after.status].toLowerCase()}); its requests are back in progress and unsent answers were withdrawn.`);
    if (ok) form.reset();
  }

  private async addNote(event: SubmitEvent, wo: WorkOrder): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const text = String(new FormData(form).get('text') ?? '').trim();
    if (text === '') {
      this.missing('note', 'text', 'must not be empty: write the note first', form);
      return;
    }
    const ok = await this.act('note', () => addWorkOrderNote(wo.number, text), () => 'Note added.', false);
    if (ok) form.reset();
  }

  /** First step of a merge: the number is checked and the other work order shown for confirmation. */
  private async proposeMerge(event: SubmitEvent, wo: WorkOrder): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const into = String(new FormData(form).get('into') ?? '').trim().toUpperCase();
    this.mergeTarget = null;
    const refuse = (message: string) => this.missing('merge', 'into', message, form);
    if (into === '') return refuse('is required: the number of the work order this one duplicates');
    if (!workOrderNumberPattern.test(into)) return refuse('is not a work order number; they look like W2026-000012');
    if (into === wo.number) return refuse('is this work order itself; name the one it duplicates');
    if (this.busy) return;
    this.busy = true;
    try {
      const target = await getWorkOrder(into);
      if (!openStatuses.includes(target.status)) return refuse(`is ${workOrderStatusNames[target.status].toLowerCase()}; merge into an open work order`);
      const { merge: _merge, ...others } = this.errors;
      this.errors = others;
      this.mergeTarget = target;
      await this.focusOn('.confirm button.danger');
    } catch (error) {
      const e = errorOf(error);
      refuse(e.status === 404 ? `names no work order: there is no ${into}` : e.summary);
    } finally {
      this.busy = false;
    }
  }

  private async merge(wo: WorkOrder, target: WorkOrder): Promise<void> {
    const moving = wo.requests.filter((r) => r.status === 'in_progress').length;
    const ok = await this.act(
      'merge',
      () => mergeWorkOrder(wo.number, wo.version, target.number),
      () => html`${wo.number} was merged into <a href="/work-orders/${target.number}">${target.number}</a>: ${moving} ${moving === 1 ? 'request' : 'requests'} moved there, and ${wo.number} is closed as its duplicate.`,
    );
    if (ok) this.mergeTarget = null;
  }

  private async split(event: SubmitEvent, wo: WorkOrder): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const request = String(data.get('request') ?? '');
    const reason = String(data.get('reason') ?? '').trim();
    if (reason === '') {
      this.missing('split', 'reason', 'is required: why it is a different problem', form);
      return;
    }
    const ok = await this.act(
      'split',
      () => splitRequest(wo.number, wo.version, request, reason),
      (result) => html`${request} was split off to a new work order, <a href="/work-orders/${result.to.number}">${result.to.number}</a>.`,
    );
    if (ok) this.splitting = null;
  }

  private startSplit(request: string): void {
    this.splitting = request;
    const { split: _split, ...others } = this.errors;
    this.errors = others;
    void this.focusOn('form.split textarea');
  }

  // -------------------------------------------------------------------------------------------
  // Rendering helpers

  private problem(form: FormName, field: string): string | undefined {
    return this.errors[form]?.details.find((d) => d.field === `/body/${field}`)?.message;
  }

  /** The form's error when it belongs to none of `fields` (those show next to their field). */
  private formError(form: FormName, fields: string[]) {
    const error = this.errors[form];
    if (!error || error.details.some((d) => fields.some((f) => d.field === `/body/${f}`))) return nothing;
    return html`<div class="form-error" role="alert">${error.summary}</div>`;
  }

  /** A labelled text area or input with its hint, or the problem with it, under it. */
  private textField(form: FormName, name: string, label: string, hint: string, kind: 'textarea' | 'input' = 'textarea', placeholder = '') {
    const message = this.problem(form, name);
    const describedBy = message ? `${form}-${name}-error` : hint ? `${form}-${name}-hint` : undefined;
    const invalid = message ? 'true' : 'false';
    return html`<div class="field"><label>${label}
        ${kind === 'textarea'
          ? html`<textarea name=${name} aria-invalid=${invalid} aria-describedby=${ifDefined(describedBy)} maxlength="4000"></textarea>`
          : html`<input name=${name} aria-invalid=${invalid} aria-describedby=${ifDefined(describedBy)} placeholder=${placeholder} autocomplete="off" />`}
      </label>
      ${message ? html`<span class="field-error" id="${form}-${name}-error" role="alert">${label} ${message}.</span>` : hint ? html`<span class="hint" id="${form}-${name}-hint">${hint}</span>` : nothing}</div>`;
  }

  private due(wo: WorkOrder) {
    return html`${when(wo.dueAt)}
      ${wo.overdue
        ? html`<span class="late">— overdue: it was due ${fromNow(wo.dueAt)}</span>`
        : openStatuses.includes(wo.status)
          ? html`<span class="muted">(${fromNow(wo.dueAt)})</span>`
          : nothing}`;
  }

  // -------------------------------------------------------------------------------------------
  // Sections

  private renderOverview(wo: WorkOrder) {
    // The path names the levels above the code; the code itself ends it.
    const names = wo.classification.path.map((p) => p.name);
    if (wo.classification.path.at(-1)?.code !== wo.classification.code) names.push(wo.classification.name);
    const path = names.join(' › ');
    return html`<section aria-labelledby="overview">
      <h2 id="overview">What and where</h2>
      <dl>
        <dt>Problem</dt><dd>${wo.problemCode.name} <span class="code">${wo.problemCode.code}</span></dd>
        <dt>Classification</dt><dd>${path || wo.classification.name}</dd>
        <dt>Department</dt><dd>${wo.department.name} <span class="code">${wo.department.code}</span></dd>
        <dt>Service provider</dt><dd>${wo.provider.name} <span class="code">${wo.provider.code}</span></dd>
        <dt>Work type</dt><dd>${wo.workType}</dd>
        <dt>Location</dt><dd>${wo.location.text || html`<span class="muted">none given</span>`}${wo.location.latitude !== null && wo.location.longitude !== null
          ? html` <span class="code">${wo.location.latitude.toFixed(5)}, ${wo.location.longitude.toFixed(5)}</span>`
          : nothing}</dd>
        <dt>Due</dt><dd>${this.due(wo)}</dd>
        ${wo.temporaryDueAt ? html`<dt>Temporary fix due</dt><dd>${when(wo.temporaryDueAt)}</dd>` : nothing}
        ${wo.description ? html`<dt>Description</dt><dd class="text">${wo.description}</dd>` : nothing}
        <dt>Made</dt><dd>${when(wo.createdAt)}</dd>
        ${wo.closedAt ? html`<dt>Closed</dt><dd>${when(wo.closedAt)}</dd>` : nothing}
        ${wo.resolution ? html`<dt>Resolution</dt><dd class="text">${wo.resolution}</dd>` : nothing}
        ${wo.duplicateOf ? html`<dt>Duplicate of</dt><dd><a href="/work-orders/${wo.duplicateOf}">${wo.duplicateOf}</a></dd>` : nothing}
        ${wo.mergedHere.length ? html`<dt>Merged here</dt><dd>${wo.mergedHere.map((n, i) => html`${i ? ', ' : ''}<a href="/work-orders/${n}">${n}</a>`)}</dd>` : nothing}
        <dt>Last changed</dt><dd>${when(wo.updatedAt)} <span class="muted">(version ${wo.version})</span></dd>
      </dl>
    </section>`;
  }

  private renderWork(wo: WorkOrder, canEdit: boolean) {
    const open = openStatuses.includes(wo.status);
    const editable = canEdit && open;
    const assigneeProblem = this.problem('assign', 'assignee');
    const priorityProblem = this.problem('assign', 'priority');
    return html`<section aria-labelledby="work">
      <h2 id="work">Assignment and tasks</h2>
      ${editable
        ? html`<form class="inline" aria-label="Assignment" @submit=${(e: SubmitEvent) => void this.saveAssignment(e, wo)} novalidate>
            <div class="field"><label>Assignee
                <input name="assignee" .value=${wo.assignee} placeholder="crew or person" autocomplete="off" maxlength="100"
                  aria-invalid=${assigneeProblem ? 'true' : 'false'} aria-describedby=${assigneeProblem ? 'assign-assignee-error' : 'assign-assignee-hint'} />
              </label>
              ${assigneeProblem
                ? html`<span class="field-error" id="assign-assignee-error" role="alert">Assignee ${assigneeProblem}.</span>`
                : html`<span class="hint" id="assign-assignee-hint">${wo.status === 'new' ? 'Naming a crew assigns the work order.' : 'The crew or person doing the work.'}</span>`}</div>
            <div class="field"><label>Priority
                <select name="priority" aria-invalid=${priorityProblem ? 'true' : 'false'} aria-describedby=${ifDefined(priorityProblem ? 'assign-priority-error' : undefined)}>
                  ${(Object.entries(priorityNames) as [Priority, string][]).map(([value, name]) => html`<option value=${value} ?selected=${wo.priority === value}>${name}</option>`)}
                </select></label>
              ${priorityProblem ? html`<span class="field-error" id="assign-priority-error" role="alert">Priority ${priorityProblem}.</span>` : nothing}</div>
            ${this.formError('assign', ['assignee', 'priority'])}
            <div class="actions"><button class="primary" type="submit">Save assignment</button></div>
          </form>`
        : html`<dl>
            <dt>Assignee</dt><dd>${wo.assignee || html`<span class="muted">not assigned</span>`}</dd>
            <dt>Priority</dt><dd>${priorityNames[wo.priority]}</dd>
          </dl>`}
      <h3 id="tasks-heading">Tasks</h3>
      ${wo.tasks.length === 0
        ? html`<p>No tasks are listed for this work.</p>`
        : html`<ul class="tasks" aria-labelledby="tasks-heading">
            ${wo.tasks.map(
              (t, i) => html`<li><label>
                <input type="checkbox" .checked=${live(t.done)} ?disabled=${!editable} @change=${(e: Event) => void this.toggleTask(wo, i, (e.target as HTMLInputElement).checked)} />
                <span><span class=${t.done ? 'done-text' : ''}>${t.text}</span>
                  ${t.done && t.doneAt ? html`<span class="done-by">— done ${when(t.doneAt)}${t.doneBy ? ` by ${t.doneBy}` : ''}</span>` : nothing}</span>
              </label></li>`,
            )}
          </ul>`}
      ${this.formError('tasks', [])}
    </section>`;
  }

  private renderStatus(wo: WorkOrder, canEdit: boolean) {
    if (!canEdit) return nothing;
    if (wo.reopenUntil) {
      return html`<section aria-labelledby="status-heading">
        <h2 id="status-heading">Reopen</h2>
        <p>${wo.number} is ${workOrderStatusNames[wo.status].toLowerCase()}. It can be reopened until ${when(wo.reopenUntil)}: its requests closed with it
          go back in progress and answers not yet sent are withdrawn.</p>
        <form aria-label="Reopen the work order" @submit=${(e: SubmitEvent) => void this.reopen(e, wo)} novalidate>
          ${this.textField('reopen', 'reason', 'Why is it reopened?', 'For example: the caller says the pothole is still there.')}
          ${this.formError('reopen', ['reason'])}
          <div class="actions"><button class="primary" type="submit">Reopen</button></div>
        </form>
      </section>`;
    }
    const moves = wo.transitions.filter((to) => to !== 'assigned' || wo.assignee !== '');
    if (moves.length === 0) return nothing;
    const statusProblem = this.problem('status', 'status');
    return html`<section aria-labelledby="status-heading">
      <h2 id="status-heading">Status</h2>
      <form aria-label="Change the status" @submit=${(e: SubmitEvent) => void this.move(e, wo)} novalidate>
        ${this.textField('status', 'note', 'Note for the status change', 'Needed to put on hold (what it waits for), to complete (what was done) or to cancel (why). Callers are told the resolution.')}
        <div class="actions" role="group" aria-label="Move to">
          ${moves.map(
            (to) => html`<button type="submit" name="status" value=${to}
              class=${to === 'completed' ? 'primary' : to === 'cancelled' ? 'danger' : ''}>${to === 'in_progress' && wo.status === 'on_hold' ? 'Resume work' : transitionNames[to]}</button>`,
          )}
          ${wo.status === 'new' && wo.assignee === '' ? html`<span class="hint">Name an assignee above to assign it.</span>` : nothing}
        </div>
        ${statusProblem ? html`<span class="field-error" role="alert">Status ${statusProblem}.</span>` : nothing}
        ${this.formError('status', ['note', 'status'])}
      </form>
    </section>`;
  }

  private renderCallers(wo: WorkOrder, canEdit: boolean) {
    const inProgress = wo.requests.filter((r) => r.status === 'in_progress');
    const canSplit = canEdit && openStatuses.includes(wo.status) && inProgress.length > 1;
    return html`<section aria-labelledby="callers">
      <h2 id="callers">Callers <span class="muted">(${wo.requests.length} ${wo.requests.length === 1 ? 'request' : 'requests'})</span></h2>
      ${wo.requests.length === 0
        ? html`<p>No requests are on this work order${wo.duplicateOf ? `: they moved to ${wo.duplicateOf}` : ''}.</p>`
        : html`<div class="table-wrap"><table aria-label="Requests on this work order">
            <thead><tr><th scope="col">Request</th><th scope="col">Status</th><th scope="col">Caller</th><th scope="col">Phone</th>
              <th scope="col">Reply wanted</th><th scope="col">Reported</th><th scope="col">Promised</th>${canSplit ? html`<th scope="col"><span class="muted">Action</span></th>` : nothing}</tr></thead>
            <tbody>${wo.requests.map(
              (r) => html`<tr>
                <td class="nowrap"><a href="/requests/${r.number}">${r.number}</a><div class="code">${channelNames[r.channel] ?? r.channel}</div></td>
                <td>${linkedRequestStatusNames[r.status] ?? r.status}</td>
                <td class="caller">${r.contactName ?? html`<span class="muted">anonymous</span>`}${r.description ? html`<div class="muted">${r.description}</div>` : nothing}</td>
                <td class="nowrap">${r.contactPhone ?? html`<span class="muted">—</span>`}</td>
                <td>${r.replyWanted
                  ? html`Yes${r.replyMethod ? html`, by ${replyMethodNames[r.replyMethod]}` : ''}${r.replyTo ? html`<div class="muted reply-to">${r.replyTo}</div>` : nothing}`
                  : 'No'}</td>
                <td class="nowrap">${short(r.startedAt)}</td>
                <td class="nowrap">${short(r.promisedAt)}</td>
                ${canSplit
                  ? html`<td>${r.status === 'in_progress'
                      ? html`<button type="button" aria-label="Split off ${r.number}" @click=${() => this.startSplit(r.number)}>Split off…</button>`
                      : nothing}</td>`
                  : nothing}
              </tr>`,
            )}</tbody>
          </table></div>`}
      ${canSplit && this.splitting && inProgress.some((r) => r.number === this.splitting) ? this.renderSplit(wo, inProgress.map((r) => r.number)) : nothing}
    </section>`;
  }

  private renderSplit(wo: WorkOrder, numbers: string[]) {
    const requestProblem = this.problem('split', 'request');
    return html`<h3 id="split-heading">Split off a request</h3>
      <form class="split" aria-labelledby="split-heading" @submit=${(e: SubmitEvent) => void this.split(e, wo)}
        @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this.splitting = null)} novalidate>
        <p>The request moves to a new work order of its own, made from its problem code's standard work order.</p>
        <div class="field"><label>Request
          <select name="request" aria-invalid=${requestProblem ? 'true' : 'false'} aria-describedby=${ifDefined(requestProblem ? 'split-request-error' : undefined)}>
            ${numbers.map((n) => html`<option value=${n} ?selected=${n === this.splitting}>${n}</option>`)}
          </select></label>
          ${requestProblem ? html`<span class="field-error" id="split-request-error" role="alert">Request ${requestProblem}.</span>` : nothing}</div>
        ${this.textField('split', 'reason', 'Why is it a different problem?', 'For example: a second pothole across the street, not the same one.')}
        ${this.formError('split', ['request', 'reason'])}
        <div class="actions">
          <button class="primary" type="submit">Split off to a new work order</button>
          <button type="button" @click=${() => (this.splitting = null)}>Keep it here</button>
        </div>
      </form>`;
  }

  private renderMerge(wo: WorkOrder, canEdit: boolean) {
    if (!canEdit || !openStatuses.includes(wo.status)) return nothing;
    const target = this.mergeTarget;
    const moving = wo.requests.filter((r) => r.status === 'in_progress').length;
    return html`<section aria-labelledby="merge-heading">
      <h2 id="merge-heading">Merge into another work order</h2>
      <p>When this is the same problem as another work order, its requests move there and this one closes as its duplicate.</p>
      <form class="inline" aria-label="Merge into another work order" @submit=${(e: SubmitEvent) => void this.proposeMerge(e, wo)} novalidate>
        ${this.textField('merge', 'into', 'Work order number', '', 'input', 'W2026-000012')}
        <div class="actions"><button type="submit">Merge into…</button></div>
        ${this.formError('merge', ['into'])}
      </form>
      ${target
        ? html`<div class="confirm" role="group" aria-label="Confirm the merge">
            <p>Merge <strong>${wo.number}</strong> into <strong><a href="/work-orders/${target.number}">${target.number}</a></strong>
              (${target.problemCode.name}${target.location.text ? ` at ${target.location.text}` : ''}, ${workOrderStatusNames[target.status].toLowerCase()},
              ${target.requests.length} ${target.requests.length === 1 ? 'caller' : 'callers'})?
              ${moving} ${moving === 1 ? 'request moves' : 'requests move'} there and ${wo.number} closes as a duplicate of it. This cannot be undone.</p>
            <div class="actions">
              <button class="danger" type="button" @click=${() => void this.merge(wo, target)}>Confirm merge into ${target.number}</button>
              <button type="button" @click=${() => (this.mergeTarget = null)}>Keep both</button>
            </div>
          </div>`
        : nothing}
    </section>`;
  }

  private renderNotes(wo: WorkOrder, canEdit: boolean) {
    return html`<section aria-labelledby="notes-heading">
      <h2 id="notes-heading">Notes</h2>
      ${wo.notes.length === 0
        ? html`<p>No notes yet.</p>`
        : html`<ol class="notes" aria-label="Notes, oldest first">${wo.notes.map(
            (n) => html`<li><div class="entry-head"><strong>${n.author ?? 'system'}</strong> <span class="muted">${when(n.at)}</span></div><div class="text">${n.text}</div></li>`,
          )}</ol>`}
      ${canEdit
        ? html`<form aria-label="Add a note" @submit=${(e: SubmitEvent) => void this.addNote(e, wo)} novalidate>
            ${this.textField('note', 'text', 'New note', '')}
            ${this.formError('note', ['text'])}
            <div class="actions"><button type="submit">Add note</button></div>
          </form>`
        : nothing}
    </section>`;
  }

  private renderHistory(items: AuditEntry[]) {
    return html`<section aria-labelledby="history">
      <h2 id="history">History</h2>
      ${items.length === 0
        ? html`<p>No changes are recorded.</p>`
        : html`<ol class="history" aria-label="Changes, oldest first">
            ${items.map((e) => {
              const changes = Object.entries(e.changes ?? {}).filter(([field, { before, after }]) => !hiddenFields.has(field) && !(empty(before) && empty(after)));
              return html`<li>
                <div class="entry-head"><strong>${actionNames[e.action] ?? e.action}</strong>
                  <span>${when(e.at)}</span> <span class="muted">by ${e.actorLabel}</span></div>
                ${changes.length
                  ? html`<dl class="changes">${changes.map(
                      ([field, { before, after }]) => html`<dt>${fieldNames[field] ?? field}</dt>
                        <dd class="text">${field === 'tasks' && taskChanges(before, after)
                          ? taskChanges(before, after)
                          : empty(before)
                          ? html`<ins>${historyValue(field, after)}</ins>`
                          : html`<del class="before">${historyValue(field, before)}</del><span class="arrow" aria-label="changed to">→</span><ins>${historyValue(field, after)}</ins>`}</dd>`,
                    )}</dl>`
                  : nothing}
              </li>`;
            })}
          </ol>`}
    </section>`;
  }

  private renderWorkOrder(loaded: Loaded) {
    const wo = loaded.workOrder;
    const canEdit = loaded.user !== null && roleAllows(loaded.user.role, ['dispatcher']);
    return html`<h1>Work order ${wo.number}</h1>
      <p class="subtitle">
        <span class="badge ${wo.status}">${workOrderStatusNames[wo.status]}</span>
        <span class="badge ${wo.priority}">${priorityNames[wo.priority]} priority</span>
        ${wo.overdue ? html`<span class="badge late">⚠ Overdue</span>` : nothing}
        <span>${wo.problemCode.name}${wo.location.text ? ` — ${wo.location.text}` : ''}</span>
      </p>
      ${this.conflict ? html`<div class="form-error top conflict" role="alert" tabindex="-1">${this.conflict}</div>` : nothing}
      ${this.notice ? html`<div class="notice" role="status" tabindex="-1">${this.notice}</div>` : nothing}
      <div class="nav">
        ${loaded.user && roleAllows(loaded.user.role, ['dispatcher']) ? html`<a href="/dispatch">← Dispatch queue</a>` : nothing}
        ${!canEdit ? html`<span class="muted">Only dispatchers change work orders; you can read it.</span>` : nothing}
      </div>
      <div class="columns">
        ${this.renderOverview(wo)}
        ${this.renderWork(wo, canEdit)}
      </div>
      ${this.renderStatus(wo, canEdit)}
      ${this.renderCallers(wo, canEdit)}
      ${this.renderMerge(wo, canEdit)}
      ${this.renderNotes(wo, canEdit)}
      ${this.renderHistory(loaded.history)}`;
  }

  override render() {
    return this.data.render({
      initial: () => html`<h1>Work order ${this.number}</h1><p>Loading…</p>`,
      // After a change the work order reloads; it stays on screen meanwhile.
      pending: () => (this.data.value?.workOrder.number === this.number ? this.renderWorkOrder(this.data.value) : html`<h1>Work order ${this.number}</h1><p>Loading…</p>`),
      error: (error) => {
        if (error instanceof DOMException && error.name === 'AbortError') return nothing;
        const e = errorOf(error);
        return html`<h1>Work order ${this.number}</h1>
          <div class="form-error" role="alert">${e.status === 404
            ? `There is no work order numbered ${this.number}.`
            : e.status === 400
              ? `“${this.number}” is not a work order number; they look like W2026-000012.`
              : `The work order could not be loaded: ${e.summary}`}</div>`;
      },
      complete: (loaded) => this.renderWorkOrder(loaded),
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-work-order-view': OwWorkOrderView;
  }
}
