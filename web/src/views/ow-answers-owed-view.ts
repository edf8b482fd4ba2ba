import { Task } from '@lit/task';
import type { RouterLocation } from '@vaadin/router';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { viewStyles } from '../components/shared-styles.ts';
import { ApiError } from '../data/api.ts';
import { listAnswersOwed, markAnswerDone, outboxStatusNames, type AnswerOwed, type OutboxStatus } from '../data/outbox.ts';
import { replyMethodNames, type ReplyMethod } from '../data/requests.ts';
import { fromNow } from '../data/work-orders.ts';

interface Filters {
  status: OutboxStatus;
  method: ReplyMethod | '';
}

const statuses = Object.keys(outboxStatusNames) as OutboxStatus[];
const pageSize = 20;
const isOneOf = <T extends string>(names: Record<T, string>, value: string): value is T => Object.hasOwn(names, value);
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
const errorText = (error: unknown) => (error instanceof ApiError ? error.summary : error instanceof Error ? error.message : String(error));

function readFilters(search: string): Filters {
  const params = new URLSearchParams(search);
  const status = params.get('status') ?? '';
  const method = params.get('method') ?? '';
  return { status: isOneOf(outboxStatusNames, status) ? status : 'pending', method: isOneOf(replyMethodNames, method) ? method : '' };
}

function searchOf(f: Filters): string {
  const params = new URLSearchParams();
  if (f.status !== 'pending') params.set('status', f.status);
  if (f.method) params.set('method', f.method);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** What the note of each method usually says. */
const noteHints: Record<ReplyMethod, string> = {
  email: 'Optional, e.g. “sent from the 311 mailbox”.',
  phone: 'Optional, e.g. “spoke to the caller” or “left a voicemail”.',
  letter: 'Optional, e.g. “posted second class”.',
};

/** The outbox: answers owed to callers whose work ended, to send and mark done; and those already sent or withdrawn. */
@customElement('ow-answers-owed-view')
export class OwAnswersOwedView extends LitElement {
  static override styles = [
    viewStyles,
    css`
      :host { max-width: 64rem; }
      .bar { display: flex; gap: 1.5rem; align-items: end; flex-wrap: wrap; margin-bottom: 1rem; }
      [role='tablist'] { display: flex; gap: 0; border-bottom: 2px solid var(--ow-border); }
      [role='tab'] { border: 1px solid transparent; border-bottom: 0; border-radius: 4px 4px 0 0; background: none; margin-bottom: -2px; padding: 0.5rem 1rem; }
      [role='tab'][aria-selected='true'] { background: var(--ow-surface); border-color: var(--ow-border); border-bottom: 2px solid var(--ow-surface); font-weight: 600; }
      .method { display: grid; gap: 0.25rem; }
      .count { margin: 0 0 0.75rem; font-size: 0.9rem; color: var(--ow-muted); }
      .notice { margin-bottom: 0.75rem; }
      article { background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; padding: 0.75rem 1rem 1rem; margin-bottom: 1rem; }
      article h2 { font-size: 1.05rem; margin: 0 0 0.6rem; }
      dl { display: grid; grid-template-columns: minmax(7rem, max-content) 1fr; gap: 0.3rem 1rem; margin: 0 0 0.75rem; }
      dt { color: var(--ow-muted); font-size: 0.9rem; }
      dd { margin: 0; }
      .to { font-weight: 600; }
      .label { font-weight: 600; font-size: 0.9rem; margin: 0 0 0.25rem; }
      pre { white-space: pre-wrap; font: inherit; font-size: 0.95rem; line-height: 1.45; background: var(--ow-bg); border: 1px solid var(--ow-border); border-radius: 4px;
        padding: 0.6rem 0.8rem; margin: 0 0 0.5rem; }
      .row { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; }
      form.done { max-width: none; margin-top: 0.75rem; border-top: 1px solid var(--ow-border); padding-top: 0.75rem; }
      form.done input { flex: 0 1 26rem; min-width: 12rem; }
      .hint { color: var(--ow-muted); font-weight: 400; font-size: 0.85rem; }
      .muted { color: var(--ow-muted); }
      .more { display: flex; gap: 0.75rem; align-items: center; }
      .stale { opacity: 0.55; }
    `,
  ];

  /** Set by the router; its `search` holds the tab and the method. */
  @property({ attribute: false }) location?: RouterLocation;

  @state() private filters: Filters = readFilters(window.location.search);
  @state() private more: AnswerOwed[] = [];
  @state() private moreCursor: number | null | undefined = undefined;
  @state() private moreError = '';
  @state() private loadingMore = false;
  /** Entries marked done here since the list loaded: they leave the "to send" list. */
  @state() private markedDone = new Set<number>();
  @state() private notice = '';
  @state() private entryErrors = new Map<number, string>();
  @state() private copied: { id: number; message: string } | null = null;
  @state() private busy: number | null = null;
  private moreAbort: AbortController | null = null;

  private readonly page = new Task(this, {
    task: ([status, method], { signal }) => listAnswersOwed({ status, method: method || undefined, limit: pageSize }, signal),
    args: () => [this.filters.status, this.filters.method] as const,
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('location') && this.location) {
      const fromUrl = readFilters(this.location.search);
      if (fromUrl.status !== this.filters.status || fromUrl.method !== this.filters.method) this.show(fromUrl);
    }
  }

  override disconnectedCallback(): void {
    this.moreAbort?.abort();
    super.disconnectedCallback();
  }

  private show(filters: Filters): void {
    this.filters = filters;
    this.moreAbort?.abort();
    this.more = [];
    this.moreCursor = undefined;
    this.moreError = '';
    this.loadingMore = false;
    this.markedDone = new Set();
    this.entryErrors = new Map();
    this.copied = null;
  }

  private apply(filters: Filters): void {
    const url = `${window.location.pathname}${searchOf(filters)}`;
    if (url !== window.location.pathname + window.location.search) window.history.replaceState(window.history.state, '', url);
    this.notice = '';
    this.show(filters);
  }

  /** Tabs after the WAI-ARIA pattern: arrows, Home and End move between them and show the one reached. */
  private tabKeydown(event: KeyboardEvent): void {
    const index = statuses.indexOf(this.filters.status);
    const to =
      event.key === 'ArrowRight' ? (index + 1) % statuses.length
      : event.key === 'ArrowLeft' ? (index - 1 + statuses.length) % statuses.length
      : event.key === 'Home' ? 0
      : event.key === 'End' ? statuses.length - 1
      : -1;
    if (to < 0) return;
    event.preventDefault();
    this.apply({ ...this.filters, status: statuses[to]! });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${statuses[to]}`)?.focus());
  }

  private async loadMore(cursor: number): Promise<void> {
    this.moreAbort?.abort();
    const abort = new AbortController();
    this.moreAbort = abort;
    this.loadingMore = true;
    this.moreError = '';
    try {
      const next = await listAnswersOwed({ status: this.filters.status, method: this.filters.method || undefined, before: cursor, limit: pageSize }, abort.signal);
      this.more = [...this.more, ...next.items];
      this.moreCursor = next.next;
    } catch (error) {
      if (!abort.signal.aborted) this.moreError = errorText(error);
    } finally {
      if (this.moreAbort === abort) this.loadingMore = false;
    }
  }

  private async markDone(event: SubmitEvent, entry: AnswerOwed, following: AnswerOwed | undefined): Promise<void> {
    event.preventDefault();
    if (this.busy !== null) return;
    const note = String(new FormData(event.currentTarget as HTMLFormElement).get('note') ?? '').trim();
    this.busy = entry.id;
    this.notice = '';
    const errors = new Map(this.entryErrors);
    errors.delete(entry.id);
    this.entryErrors = errors;
    try {
      await markAnswerDone(entry.id, note);
      this.markedDone = new Set([...this.markedDone, entry.id]);
      this.notice = `Marked done: the answer to ${entry.recipient || entry.to} about request ${entry.request} (${replyMethodNames[entry.method].toLowerCase()}${entry.to ? `, ${entry.to}` : ''}).`;
      await this.updateComplete;
      // The entry is gone: the keyboard goes on with the next one, or to the message when none is left.
      const next = following && this.renderRoot.querySelector<HTMLElement>(`#entry-${following.id} h2`);
      (next ?? this.renderRoot.querySelector<HTMLElement>('.notice'))?.focus();
    } catch (error) {
      const message =
        error instanceof ApiError && error.status === 409
          ? `${error.message} Someone else dealt with it: reload the list to see it where it is now.`
          : `It could not be marked done: ${errorText(error)}`;
      this.entryErrors = new Map(this.entryErrors).set(entry.id, message);
    } finally {
      this.busy = null;
    }
  }

  private async copy(entry: AnswerOwed): Promise<void> {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(entry.text);
      this.copied = { id: entry.id, message: 'Copied to the clipboard.' };
    } catch {
      // Without clipboard access (an insecure origin, a refused permission) the text is selected to copy by hand.
      const pre = this.renderRoot.querySelector<HTMLElement>(`#text-${entry.id}`);
      const selection = document.getSelection();
      if (pre && selection) {
        const range = document.createRange();
        range.selectNodeContents(pre);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      this.copied = { id: entry.id, message: 'The text is selected: press Ctrl+C to copy it.' };
    }
  }

  private mailto(entry: AnswerOwed): string {
    return `mailto:${encodeURIComponent(entry.to)}?subject=${encodeURIComponent(entry.subject)}&body=${encodeURIComponent(entry.text)}`;
  }

  private renderEntry(entry: AnswerOwed, following: AnswerOwed | undefined) {
    const pending = entry.status === 'pending';
    const error = this.entryErrors.get(entry.id);
    return html`<article id="entry-${entry.id}" aria-labelledby="subject-${entry.id}">
      <h2 id="subject-${entry.id}" tabindex="-1">${entry.subject}</h2>
      <dl>
        <dt>Method</dt><dd>${replyMethodNames[entry.method] ?? entry.method}</dd>
        <dt>To</dt><dd class="to">${entry.to || html`<span class="muted">no address recorded — look it up on the request</span>`}</dd>
        <dt>Recipient</dt><dd>${entry.recipient || html`<span class="muted">not named</span>`}</dd>
        <dt>Request</dt><dd><a href="/requests/${entry.request}">${entry.request}</a></dd>
        <dt>Work order</dt><dd>${entry.workOrder ? html`<a href="/work-orders/${entry.workOrder}">${entry.workOrder}</a>` : html`<span class="muted">—</span>`}</dd>
        <dt>Owed since</dt><dd>${when(entry.createdAt)} <span class="muted">(${fromNow(entry.createdAt)})</span></dd>
        ${pending
          ? nothing
          : html`<dt>${entry.status === 'done' ? 'Sent' : 'Withdrawn'}</dt><dd>${when(entry.doneAt)}${entry.doneBy ? ` by ${entry.doneBy}` : ''}</dd>
              ${entry.doneNote ? html`<dt>Note</dt><dd>${entry.doneNote}</dd>` : nothing}`}
      </dl>
      <p class="label" id="text-label-${entry.id}">${entry.method === 'phone' ? 'What to say' : 'Text to send'}</p>
      <pre id="text-${entry.id}" tabindex="0" aria-labelledby="text-label-${entry.id}">${entry.text}</pre>
      <div class="row">
        <button type="button" @click=${() => void this.copy(entry)} aria-describedby="text-label-${entry.id}">Copy text</button>
        ${entry.method === 'email' && entry.to && pending ? html`<a href=${this.mailto(entry)}>Open in the e-mail program</a>` : nothing}
        ${this.copied?.id === entry.id ? html`<span class="muted" role="status">${this.copied.message}</span>` : nothing}
      </div>
      ${pending
        ? html`<form class="done" aria-label="Mark the answer for ${entry.request} done" @submit=${(e: SubmitEvent) => void this.markDone(e, entry, following)} novalidate>
            <div class="field"><label for="note-${entry.id}">Note</label>
              <div class="row">
                <input id="note-${entry.id}" name="note" maxlength="1000" autocomplete="off" aria-describedby="note-hint-${entry.id}" />
                <button class="primary" type="submit" aria-busy=${this.busy === entry.id ? 'true' : 'false'}>Mark done</button>
              </div>
              <span class="hint" id="note-hint-${entry.id}">${noteHints[entry.method] ?? 'Optional.'}</span></div>
            ${error ? html`<div class="form-error" role="alert">${error}</div>` : nothing}
          </form>`
        : nothing}
    </article>`;
  }

  private renderList(first: { items: AnswerOwed[]; total: number; next: number | null }, stale = false) {
    const status = this.filters.status;
    const items = [...first.items, ...this.more].filter((e) => !(status === 'pending' && this.markedDone.has(e.id)));
    const cursor = this.moreCursor === undefined ? first.next : this.moreCursor;
    if (items.length === 0) {
      return html`<p class="count" role="status">${status === 'pending'
        ? this.filters.method
          ? `No ${replyMethodNames[this.filters.method].toLowerCase()} answers are owed.`
          : 'No answers are owed: every caller who asked has been answered.'
        : status === 'done'
          ? 'No answers have been sent yet.'
          : 'No answers were withdrawn.'}</p>`;
    }
    // The server counts what the filters select; entries marked done here have left it since.
    const total = first.total - (status === 'pending' ? this.markedDone.size : 0);
    const what = status === 'pending' ? 'to send, oldest first' : status === 'done' ? 'sent, newest first' : 'withdrawn, newest first';
    return html`<p class="count" role="status">${items.length} of ${total} ${what}.</p>
      ${repeat(
        items,
        (entry) => entry.id,
        // Keyed: when an entry leaves the list its form goes with it, and a note typed for one caller never lands on the next one's.
        (entry, i) => this.renderEntry(entry, items[i + 1] ?? items[i - 1]),
      )}
      <div class="more">
        ${cursor
          ? html`<button type="button" ?disabled=${this.loadingMore || stale} @click=${() => void this.loadMore(cursor)}>${this.loadingMore ? 'Loading…' : 'Load more'}</button>`
          : html`<span class="muted">That is all of them.</span>`}
        ${this.moreError ? html`<span class="form-error" role="alert">More answers could not be loaded: ${this.moreError}</span>` : nothing}
      </div>`;
  }

  override render() {
    const f = this.filters;
    return html`<h1>Answers owed</h1>
      <p>When work ends, every caller who asked to hear back is owed an answer. Send it the way they chose — the text is ready — then mark it done.</p>
      <div class="bar">
        <div role="tablist" aria-label="Which answers" @keydown=${this.tabKeydown}>
          ${statuses.map(
            (s) => html`<button type="button" role="tab" id="tab-${s}" aria-selected=${s === f.status ? 'true' : 'false'} aria-controls="panel"
              tabindex=${s === f.status ? '0' : '-1'} @click=${() => this.apply({ ...f, status: s })}>${outboxStatusNames[s]}</button>`,
          )}
        </div>
        <label class="method">Method
          <select name="method" @change=${(e: Event) => this.apply({ ...f, method: (e.target as HTMLSelectElement).value as ReplyMethod | '' })}>
            <option value="" ?selected=${f.method === ''}>Any method</option>
            ${(Object.entries(replyMethodNames) as [ReplyMethod, string][]).map(([value, name]) => html`<option value=${value} ?selected=${f.method === value}>${name}</option>`)}
          </select></label>
      </div>
      ${this.notice ? html`<div class="notice" role="status" tabindex="-1">${this.notice}</div>` : nothing}
      <div role="tabpanel" id="panel" aria-labelledby="tab-${f.status}">
        ${this.page.render({
          initial: () => html`<p class="count">Loading…</p>`,
          pending: () => (this.page.value ? html`<div class="stale" aria-busy="true">${this.renderList(this.page.value, true)}</div>` : html`<p class="count">Loading…</p>`),
          error: (error) =>
            error instanceof DOMException && error.name === 'AbortError'
              ? nothing
              : html`<div class="form-error" role="alert">The answers could not be loaded: ${errorText(error)}</div>`,
          complete: (first) => this.renderList(first),
        })}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-answers-owed-view': OwAnswersOwedView;
  }
}
