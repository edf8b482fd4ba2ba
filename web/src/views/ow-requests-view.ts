import { Task } from '@lit/task';
import type { RouterLocation } from '@vaadin/router';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { viewStyles } from '../components/shared-styles.ts';
import { ApiError } from '../data/api.ts';
import {
  channelNames,
  listRequests,
  replyMethodNames,
  statusNames,
  typeNames,
  type Channel,
  type RequestFilters,
  type RequestListItem,
  type RequestStatus,
  type RequestType,
} from '../data/requests.ts';

/** The filters as they stand in the address bar: plain strings, dates as YYYY-MM-DD in local time. */
interface Filters {
  number: string;
  caller: string;
  address: string;
  type: RequestType | '';
  status: RequestStatus | '';
  channel: Channel | '';
  from: string;
  to: string;
}
type FilterKey = keyof Filters;

const filterKeys: FilterKey[] = ['number', 'caller', 'address', 'type', 'status', 'channel', 'from', 'to'];
const noFilters: Filters = { number: '', caller: '', address: '', type: '', status: '', channel: '', from: '', to: '' };
/** "Replies owed": comments whose customer waits to hear back. */
const repliesOwed: Filters = { ...noFilters, status: 'awaiting_reply', type: 'comment' };
const pageSize = 25;
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(new Date(`${s}T00:00`).getTime());
const isOneOf = <T extends string>(names: Record<T, string>, value: string): value is T => Object.hasOwn(names, value);

/** The filters named in a query string; unknown names and impossible values are left out. */
function readFilters(search: string): Filters {
  const params = new URLSearchParams(search);
  const get = (key: FilterKey) => (params.get(key) ?? '').trim();
  const type = get('type');
  const status = get('status');
  const channel = get('channel');
  return {
    number: get('number'),
    caller: get('caller'),
    address: get('address'),
    type: isOneOf(typeNames, type) ? type : '',
    status: isOneOf(statusNames, status) ? status : '',
    channel: isOneOf(channelNames, channel) ? channel : '',
    from: isDate(get('from')) ? get('from') : '',
    to: isDate(get('to')) ? get('to') : '',
  };
}

function searchOf(filters: Filters): string {
  const params = new URLSearchParams();
  for (const key of filterKeys) if (filters[key]) params.set(key, filters[key]);
  const text = params.toString();
  return text ? `?${text}` : '';
}

const same = (a: Filters, b: Filters) => filterKeys.every((k) => a[k] === b[k]);

/** What is wrong with the filters before asking the server, by field. */
function filterProblems(f: Filters): Partial<Record<FilterKey, string>> {
  const problems: Partial<Record<FilterKey, string>> = {};
  if (f.number && !/^[0-9-]{1,20}$/.test(f.number)) problems.number = 'Use digits and dashes only, like 2026-0042.';
  if (f.from && f.to && f.from > f.to) problems.to = 'Must be on or after the “from” date.';
  return problems;
}

/** The API's filters: local days become the instants where they start and end. */
function apiFilters(f: Filters): RequestFilters {
  const startOf = (day: string) => new Date(`${day}T00:00`);
  let to: string | undefined;
  if (f.to) {
    const next = startOf(f.to);
    next.setDate(next.getDate() + 1);
    to = new Date(next.getTime() - 1).toISOString();
  }
  return {
    number: f.number || undefined,
    caller: f.caller || undefined,
    address: f.address || undefined,
    type: f.type || undefined,
    status: f.status || undefined,
    channel: f.channel || undefined,
    from: f.from ? startOf(f.from).toISOString() : undefined,
    to,
    limit: pageSize,
  };
}

const errorText = (error: unknown) => (error instanceof ApiError ? error.summary : error instanceof Error ? error.message : String(error));

/** Every customer request, found by number, caller, address, type, status, channel and date. */
@customElement('ow-requests-view')
export class OwRequestsView extends LitElement {
  static override styles = [
    viewStyles,
    css`
      :host { max-width: none; }
      form.filters { max-width: none; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); align-items: start;
        background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; padding: 0.75rem 1rem; }
      .buttons { display: flex; gap: 0.6rem; flex-wrap: wrap; align-items: center; grid-column: 1 / -1; }
      .presets { display: flex; gap: 0.6rem; align-items: center; margin: 0 0 0.75rem; flex-wrap: wrap; }
      button[aria-pressed='true'] { background: #dbe9f7; border-color: var(--ow-accent); font-weight: 600; }
      kbd { font: inherit; font-size: 0.8rem; border: 1px solid var(--ow-border); border-bottom-width: 2px; border-radius: 3px; padding: 0 0.25rem; background: var(--ow-bg); }
      .count { margin: 0.9rem 0 0.4rem; font-size: 0.9rem; color: var(--ow-muted); }
      .number { white-space: nowrap; font-weight: 600; }
      .nowrap { white-space: nowrap; }
      .muted { color: var(--ow-muted); }
      .code { font-size: 0.8rem; color: var(--ow-muted); }
      .status-awaiting_reply { color: #8a4b00; font-weight: 600; }
      .status-cancelled { color: var(--ow-muted); text-decoration: line-through; }
      .more { margin-top: 0.75rem; display: flex; gap: 0.75rem; align-items: center; }
      td { vertical-align: top; font-size: 0.92rem; }
      .stale { opacity: 0.55; }
    `,
  ];

  /** Set by the router; its `search` holds the filters. */
  @property({ attribute: false }) location?: RouterLocation;

  @state() private filters: Filters = readFilters(window.location.search);
  @state() private problems: Partial<Record<FilterKey, string>> = {};
  /** Pages after the first, loaded with "Load more". */
  @state() private more: RequestListItem[] = [];
  @state() private moreCursor: string | null | undefined = undefined;
  @state() private moreError = '';
  @state() private loadingMore = false;
  private moreAbort: AbortController | null = null;

  private readonly page = new Task(this, {
    task: ([search], { signal }) => listRequests(apiFilters(readFilters(search)), signal),
    args: () => [searchOf(this.filters)] as const,
  });

  private readonly onKeydown = (event: KeyboardEvent) => {
    // Alt+R: the replies owed, from anywhere on this page (code, not key: Alt changes the key on macOS).
    if (event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.code === 'KeyR') {
      event.preventDefault();
      this.apply(repliesOwed);
    }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKeydown);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('keydown', this.onKeydown);
    this.moreAbort?.abort();
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The router reuses this element when the nav link (no query) is followed from a filtered list.
    if (changed.has('location') && this.location) {
      const fromUrl = readFilters(this.location.search);
      if (!same(fromUrl, this.filters)) this.show(fromUrl);
    }
  }

  private show(filters: Filters): void {
    this.filters = filters;
    this.problems = filterProblems(filters);
    this.moreAbort?.abort();
    this.more = [];
    this.moreCursor = undefined;
    this.moreError = '';
    this.loadingMore = false;
  }

  /** Shows `filters` and writes them to the address bar, so the list can be shared and survives a reload. */
  private apply(filters: Filters): void {
    const problems = filterProblems(filters);
    if (Object.keys(problems).length > 0) {
      this.problems = problems;
      return;
    }
    const url = `${window.location.pathname}${searchOf(filters)}`;
    if (url !== window.location.pathname + window.location.search) window.history.replaceState(window.history.state, '', url);
    this.show(filters);
  }

  private formFilters(form: HTMLFormElement): Filters {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) params.set(key, String(value));
    return readFilters(params.toString());
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    this.apply(this.formFilters(event.currentTarget as HTMLFormElement));
  }

  /** Selects and dates apply as soon as they change; text fields when Enter is pressed. */
  private changed(event: Event): void {
    const target = event.target as HTMLElement;
    if (target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type === 'date')) {
      this.apply(this.formFilters(target.closest('form')!));
    }
  }

  private async loadMore(cursor: string): Promise<void> {
    this.moreAbort?.abort();
    const abort = new AbortController();
    this.moreAbort = abort;
    this.loadingMore = true;
    this.moreError = '';
    try {
      const next = await listRequests({ ...apiFilters(this.filters), before: cursor }, abort.signal);
      this.more = [...this.more, ...next.items];
      this.moreCursor = next.nextBefore;
    } catch (error) {
      if (!abort.signal.aborted) this.moreError = errorText(error);
    } finally {
      if (this.moreAbort === abort) this.loadingMore = false;
    }
  }

  private serverProblem(key: FilterKey): string | undefined {
    const error = this.page.error;
    return error instanceof ApiError ? error.details.find((d) => d.field === `/querystring/${key}`)?.message : undefined;
  }

  private text(key: 'number' | 'caller' | 'address', label: string, placeholder: string) {
    const problem = this.problems[key] ?? this.serverProblem(key);
    const id = `${key}-error`;
    return html`<div class="field"><label>${label}
        <input name=${key} type="search" .value=${this.filters[key]} placeholder=${placeholder} autocomplete="off"
          aria-invalid=${problem ? 'true' : 'false'} aria-describedby=${ifDefined(problem ? id : undefined)} />
      </label>${problem ? html`<span class="field-error" id=${id}>${problem}</span>` : nothing}</div>`;
  }

  private choice<T extends string>(key: 'type' | 'status' | 'channel', label: string, names: Record<T, string>, any: string) {
    return html`<div class="field"><label>${label}
      <select name=${key}>
        <option value="" ?selected=${this.filters[key] === ''}>${any}</option>
        ${(Object.entries(names) as [T, string][]).map(([value, name]) => html`<option value=${value} ?selected=${this.filters[key] === value}>${name}</option>`)}
      </select></label></div>`;
  }

  private date(key: 'from' | 'to', label: string) {
    const problem = this.problems[key];
    const id = `${key}-error`;
    return html`<div class="field"><label>${label}
        <input name=${key} type="date" .value=${this.filters[key]} aria-invalid=${problem ? 'true' : 'false'} aria-describedby=${ifDefined(problem ? id : undefined)} />
      </label>${problem ? html`<span class="field-error" id=${id}>${problem}</span>` : nothing}</div>`;
  }

  private get owedOnly(): boolean {
    return same(this.filters, repliesOwed);
  }

  private row(r: RequestListItem, owed: boolean) {
    const problem = r.problemCode
      ? html`${r.problemName ?? r.problemCode} <span class="code">${r.problemCode}</span>${r.summary ? html`<div class="muted">${r.summary}</div>` : nothing}`
      : r.summary || html`<span class="muted">—</span>`;
    return html`<tr>
      <td class="number"><a href="/requests/${r.number}">${r.number}</a></td>
      <td class="nowrap">${new Date(r.startedAt).toLocaleString()}</td>
      <td>${r.type ? typeNames[r.type] : html`<span class="muted">not chosen</span>`}</td>
      <td class="status-${r.status}">${statusNames[r.status]}</td>
      <td>${channelNames[r.channel]}</td>
      <td>${r.contactName ?? html`<span class="muted">anonymous</span>`}</td>
      <td>${problem}</td>
      <td>${r.locationText || html`<span class="muted">—</span>`}</td>
      ${owed
        ? html`<td>${r.replyMethod ? replyMethodNames[r.replyMethod] : 'Method not recorded'}
            ${r.contactName ? html`to ${r.contactName}` : nothing}${r.replyTo ? html`<div class="muted">${r.replyTo}</div>` : nothing}</td>`
        : nothing}
    </tr>`;
  }

  private renderList(first: { items: RequestListItem[]; nextBefore: string | null }, stale = false) {
    const items = [...first.items, ...this.more];
    const cursor = this.moreCursor === undefined ? first.nextBefore : this.moreCursor;
    const owed = this.owedOnly;
    const filtered = !same(this.filters, noFilters);
    if (items.length === 0) {
      return html`<p class="count" role="status">${owed
        ? 'No replies are owed: every comment that wanted a reply has been answered.'
        : filtered
          ? 'No request matches these filters. Loosen one of them, or clear them all.'
          : 'There are no requests yet. They appear here as soon as a contact starts at the desk.'}</p>`;
    }
    return html`<p class="count" role="status">${items.length}${cursor ? '+' : ''} ${items.length === 1 ? 'request' : 'requests'}${owed ? ' waiting for a reply' : ''}, newest first.
        ${owed ? 'Open one to record the reply.' : ''}</p>
      <table aria-label=${owed ? 'Replies owed' : 'Requests'}>
        <thead><tr>
          <th scope="col">Number</th><th scope="col">Started</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Channel</th>
          <th scope="col">Caller</th><th scope="col">Problem or summary</th><th scope="col">Location</th>${owed ? html`<th scope="col">Reply by</th>` : nothing}
        </tr></thead>
        <tbody>${items.map((r) => this.row(r, owed))}</tbody>
      </table>
      <div class="more">
        ${cursor
          ? html`<button type="button" ?disabled=${this.loadingMore || stale} @click=${() => void this.loadMore(cursor)}>${this.loadingMore ? 'Loading…' : 'Load more'}</button>`
          : html`<span class="muted">That is all of them.</span>`}
        ${this.moreError ? html`<span class="form-error" role="alert">More requests could not be loaded: ${this.moreError}</span>` : nothing}
      </div>`;
  }

  override render() {
    const owed = this.owedOnly;
    return html`<h1>Requests</h1>
      <div class="presets">
        <button type="button" aria-pressed=${owed ? 'true' : 'false'} aria-keyshortcuts="Alt+R" @click=${() => this.apply(repliesOwed)}>Replies owed <kbd>Alt+R</kbd></button>
        <button type="button" @click=${() => this.apply(noFilters)}>All requests</button>
      </div>
      <form class="filters" role="search" aria-label="Filter requests" @submit=${this.submit} @change=${this.changed} novalidate>
        ${this.text('number', 'Number', '2026-0042 or its start')}
        ${this.text('caller', 'Caller', 'name, phone or e-mail')}
        ${this.text('address', 'Address', 'street or place')}
        ${this.choice('type', 'Type', typeNames, 'Any type')}
        ${this.choice('status', 'Status', statusNames, 'Any status')}
        ${this.choice('channel', 'Channel', channelNames, 'Any channel')}
        ${this.date('from', 'Started from')}
        ${this.date('to', 'Started to')}
        <div class="buttons">
          <button class="primary" type="submit">Search</button>
          <span class="muted">Enter in any field searches.</span>
        </div>
      </form>
      ${this.page.render({
        initial: () => html`<p class="count">Loading…</p>`,
        // The previous list stays (dimmed) while the next loads, so the page does not jump.
        pending: () => (this.page.value ? html`<div class="stale" aria-busy="true">${this.renderList(this.page.value, true)}</div>` : html`<p class="count">Loading…</p>`),
        error: (error) =>
          error instanceof DOMException && error.name === 'AbortError'
            ? nothing
            : html`<div class="form-error" role="alert">The requests could not be loaded: ${errorText(error)}</div>`,
        complete: (first) => this.renderList(first),
      })}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-requests-view': OwRequestsView;
  }
}
