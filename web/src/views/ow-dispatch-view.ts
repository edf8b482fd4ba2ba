import { Task } from '@lit/task';
import { Router, type RouterLocation } from '@vaadin/router';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { viewStyles } from '../components/shared-styles.ts';
import { ApiError } from '../data/api.ts';
import { getTree, type TreeNode } from '../data/hierarchy.ts';
import {
  fromNow,
  listWorkOrders,
  priorityNames,
  queueStatusNames,
  workOrderStatusNames,
  type Priority,
  type QueueFilters,
  type QueueStatus,
  type WorkOrderListItem,
  type WorkOrderPage,
} from '../data/work-orders.ts';

/** The filters as they stand in the address bar. */
interface Filters {
  department: string;
  provider: string;
  status: QueueStatus;
  priority: Priority | '';
  overdue: boolean;
  assignee: string;
}
type FilterKey = keyof Filters;

const filterKeys: FilterKey[] = ['department', 'provider', 'status', 'priority', 'overdue', 'assignee'];
const noFilters: Filters = { department: '', provider: '', status: 'open', priority: '', overdue: false, assignee: '' };
const pageSize = 25;
const isCode = (s: string) => /^[A-Za-z0-9_.-]{1,40}$/.test(s);
const isOneOf = <T extends string>(names: Record<T, string>, value: string): value is T => Object.hasOwn(names, value);

/** The filters named in a query string; unknown names and impossible values are left out. */
function readFilters(search: string): Filters {
  const params = new URLSearchParams(search);
  const get = (key: FilterKey) => (params.get(key) ?? '').trim();
  const status = get('status');
  const priority = get('priority');
  return {
    department: isCode(get('department')) ? get('department') : '',
    provider: isCode(get('provider')) ? get('provider') : '',
    status: isOneOf(queueStatusNames, status) ? status : 'open',
    priority: isOneOf(priorityNames, priority) ? priority : '',
    overdue: get('overdue') === 'true',
    assignee: get('assignee').slice(0, 100),
  };
}

/** The query string of `filters`; the defaults (open work, not only overdue) are left out. */
function searchOf(f: Filters): string {
  const params = new URLSearchParams();
  if (f.department) params.set('department', f.department);
  if (f.provider) params.set('provider', f.provider);
  if (f.status !== 'open') params.set('status', f.status);
  if (f.priority) params.set('priority', f.priority);
  if (f.overdue) params.set('overdue', 'true');
  if (f.assignee) params.set('assignee', f.assignee);
  const text = params.toString();
  return text ? `?${text}` : '';
}

const same = (a: Filters, b: Filters) => filterKeys.every((k) => a[k] === b[k]);

function apiFilters(f: Filters): QueueFilters {
  return {
    department: f.department || undefined,
    provider: f.provider || undefined,
    status: f.status,
    priority: f.priority || undefined,
    overdue: f.overdue || undefined,
    assignee: f.assignee || undefined,
    limit: pageSize,
  };
}

const errorText = (error: unknown) => (error instanceof ApiError ? error.summary : error instanceof Error ? error.message : String(error));

/** True when the key was typed into something that takes text or choices (shortcuts stay out of its way). */
function typingIn(event: KeyboardEvent): boolean {
  const target = event.composedPath()[0];
  return target instanceof HTMLElement && (target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement);
}

/** The dispatcher's queue: open work orders, soonest due first, filtered and worked from the keyboard. */
@customElement('ow-dispatch-view')
export class OwDispatchView extends LitElement {
  static override styles = [
    viewStyles,
    css`
      :host { max-width: none; }
      form.filters { max-width: none; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); align-items: end;
        background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; padding: 0.75rem 1rem; }
      /* A select is as wide as its longest option; in a grid cell it must shrink to the cell instead. */
      .field { min-width: 0; }
      select, input[type='search'] { width: 100%; min-width: 0; box-sizing: border-box; }
      label.check { display: flex; gap: 0.5rem; align-items: center; padding: 0.5rem 0; }
      label.check input { width: 1.1rem; height: 1.1rem; margin: 0; }
      .buttons { display: flex; gap: 0.6rem; flex-wrap: wrap; align-items: center; grid-column: 1 / -1; }
      kbd { font: inherit; font-size: 0.8rem; border: 1px solid var(--ow-border); border-bottom-width: 2px; border-radius: 3px; padding: 0 0.25rem; background: var(--ow-bg); }
      .keys { max-width: none; margin: 0.5rem 0 0; font-size: 0.85rem; color: var(--ow-muted); }
      .count { margin: 0.9rem 0 0.4rem; font-size: 0.9rem; color: var(--ow-muted); }
      .number { white-space: nowrap; font-weight: 600; }
      .nowrap { white-space: nowrap; }
      .muted { color: var(--ow-muted); }
      .code { font-size: 0.8rem; color: var(--ow-muted); }
      td { vertical-align: top; font-size: 0.92rem; }
      /* The keyboard's row: a frame and a tint; overdue rows also carry a bar and the word "Overdue". */
      tbody tr.selected { outline: 2px solid var(--ow-accent); outline-offset: -2px; }
      tbody tr.selected td { background: #eef5fc; }
      tbody td:first-child, thead th:first-child { padding-left: 0.9rem; }
      tbody tr.overdue td:first-child { box-shadow: inset 5px 0 0 var(--ow-danger); }
      .late { display: inline-block; margin-top: 0.15rem; color: var(--ow-danger); font-weight: 600; font-size: 0.82rem; }
      .priority-urgent, .priority-high { font-weight: 600; }
      .priority-urgent { color: var(--ow-danger); }
      .callers { text-align: right; }
      th.callers { text-align: right; }
      .more { margin-top: 0.75rem; display: flex; gap: 0.75rem; align-items: center; }
      .stale { opacity: 0.55; }
      .tree-error { grid-column: 1 / -1; }
    `,
  ];

  /** Set by the router; its `search` holds the filters. */
  @property({ attribute: false }) location?: RouterLocation;

  @state() private filters: Filters = readFilters(window.location.search);
  /** Pages after the first, loaded with "Load more". */
  @state() private more: WorkOrderListItem[] = [];
  @state() private moreError = '';
  @state() private loadingMore = false;
  /** The row the keyboard is on (-1: none yet). */
  @state() private selected = -1;
  private moreAbort: AbortController | null = null;

  private readonly tree = new Task(this, {
    task: (_args, { signal }) => getTree(false, signal),
    args: () => [] as const,
  });

  private readonly page = new Task(this, {
    task: ([search], { signal }) => listWorkOrders(apiFilters(readFilters(search)), signal),
    args: () => [searchOf(this.filters)] as const,
  });

  private get items(): WorkOrderListItem[] {
    return [...(this.page.value?.items ?? []), ...this.more];
  }

  private readonly onKeydown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typingIn(event)) return;
    const items = this.items;
    if (event.key === '/') {
      event.preventDefault();
      this.renderRoot.querySelector<HTMLSelectElement>('form.filters select[name=department]')?.focus();
    } else if ((event.key === 'j' || event.key === 'ArrowDown') && items.length > 0) {
      event.preventDefault();
      this.select(Math.min(items.length - 1, this.selected + 1));
    } else if ((event.key === 'k' || event.key === 'ArrowUp') && items.length > 0) {
      event.preventDefault();
      this.select(Math.max(0, this.selected - 1));
    } else if (event.key === 'Enter' && this.selected >= 0) {
      // On a link or a button, Enter already does what it says.
      const target = event.composedPath()[0];
      if (target instanceof HTMLAnchorElement || target instanceof HTMLButtonElement) return;
      const item = items[this.selected];
      if (item) {
        event.preventDefault();
        Router.go(`/work-orders/${item.number}`);
      }
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
    // The router reuses this element when the nav link (no query) is followed from a filtered queue.
    if (changed.has('location') && this.location) {
      const fromUrl = readFilters(this.location.search);
      if (!same(fromUrl, this.filters)) this.show(fromUrl);
    }
  }

  /** Moves the keyboard's row and the focus (its number link) to row `index`. */
  private select(index: number): void {
    this.selected = index;
    void this.updateComplete.then(() => {
      this.renderRoot.querySelector<HTMLAnchorElement>(`tbody tr[data-index="${index}"] a`)?.focus();
    });
  }

  private show(filters: Filters): void {
    this.filters = filters;
    this.selected = -1;
    this.moreAbort?.abort();
    this.more = [];
    this.moreError = '';
    this.loadingMore = false;
  }

  /** Shows `filters` and writes them to the address bar, so the queue can be shared and survives a reload. */
  private apply(filters: Filters): void {
    const url = `${window.location.pathname}${searchOf(filters)}`;
    if (url !== window.location.pathname + window.location.search) window.history.replaceState(window.history.state, '', url);
    if (!same(filters, this.filters)) this.show(filters);
  }

  private providersOf(department: string): TreeNode[] {
    const departments = this.tree.value ?? [];
    return departments.filter((d) => department === '' || d.code === department).flatMap((d) => d.children.filter((c) => c.level === 'provider'));
  }

  private formFilters(form: HTMLFormElement): Filters {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) params.set(key, String(value));
    const filters = readFilters(params.toString());
    // A provider of another department than the one just chosen would match nothing.
    if (filters.department && filters.provider && this.tree.value && !this.providersOf(filters.department).some((p) => p.code === filters.provider)) {
      filters.provider = '';
    }
    return filters;
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    this.apply(this.formFilters(event.currentTarget as HTMLFormElement));
  }

  /** Selects and the check box apply as soon as they change; the text field when Enter is pressed. */
  private changed(event: Event): void {
    const target = event.target as HTMLElement;
    if (target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type === 'checkbox')) {
      this.apply(this.formFilters(target.closest('form')!));
    }
  }

  /** Escape in the filters goes back to the queue, where j/k work. */
  private filtersKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape' || this.items.length === 0) return;
    event.preventDefault();
    this.select(Math.max(0, this.selected));
  }

  private async loadMore(): Promise<void> {
    this.moreAbort?.abort();
    const abort = new AbortController();
    this.moreAbort = abort;
    this.loadingMore = true;
    this.moreError = '';
    try {
      const next = await listWorkOrders({ ...apiFilters(this.filters), offset: this.items.length }, abort.signal);
      const known = new Set(this.items.map((i) => i.number));
      // Work moves while the dispatcher reads: a row that shifted pages must not show twice.
      this.more = [...this.more, ...next.items.filter((i) => !known.has(i.number))];
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

  private field(key: FilterKey, label: string, control: (invalid: boolean, describedBy: string | undefined) => unknown) {
    const problem = this.serverProblem(key);
    const id = `${key}-error`;
    return html`<div class="field"><label>${label} ${control(problem !== undefined, problem ? id : undefined)}</label>
      ${problem ? html`<span class="field-error" id=${id}>${label} ${problem}.</span>` : nothing}</div>`;
  }

  /** An option for a code the tree does not (yet) list, so a filter from the URL is never silently dropped. */
  private unknownOption(code: string, known: TreeNode[]) {
    return code && !known.some((n) => n.code === code) ? html`<option value=${code} selected>${code}</option>` : nothing;
  }

  private renderFilters() {
    const f = this.filters;
    const departments = this.tree.value ?? [];
    const providers = this.providersOf(f.department);
    return html`<form class="filters" role="search" aria-label="Filter work orders" @submit=${this.submit} @change=${this.changed} @keydown=${this.filtersKeydown} novalidate>
      ${this.field('department', 'Department', (invalid, describedBy) => html`<select name="department" aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${ifDefined(describedBy)}>
          <option value="" ?selected=${f.department === ''}>Any department</option>
          ${departments.map((d) => html`<option value=${d.code} ?selected=${f.department === d.code}>${d.name}</option>`)}
          ${this.unknownOption(f.department, departments)}
        </select>`)}
      ${this.field('provider', 'Service provider', (invalid, describedBy) => html`<select name="provider" aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${ifDefined(describedBy)}>
          <option value="" ?selected=${f.provider === ''}>Any provider</option>
          ${f.department
            ? providers.map((p) => html`<option value=${p.code} ?selected=${f.provider === p.code}>${p.name}</option>`)
            : departments.map(
                (d) => html`<optgroup label=${d.name}>${d.children
                  .filter((c) => c.level === 'provider')
                  .map((p) => html`<option value=${p.code} ?selected=${f.provider === p.code}>${p.name}</option>`)}</optgroup>`,
              )}
          ${this.unknownOption(f.provider, this.providersOf(''))}
        </select>`)}
      ${this.field('status', 'Status', () => html`<select name="status">
          ${(Object.entries(queueStatusNames) as [QueueStatus, string][]).map(([value, name]) => html`<option value=${value} ?selected=${f.status === value}>${name}</option>`)}
        </select>`)}
      ${this.field('priority', 'Priority', () => html`<select name="priority">
          <option value="" ?selected=${f.priority === ''}>Any priority</option>
          ${(Object.entries(priorityNames) as [Priority, string][]).map(([value, name]) => html`<option value=${value} ?selected=${f.priority === value}>${name}</option>`)}
        </select>`)}
      ${this.field('assignee', 'Assignee', (invalid, describedBy) => html`<input name="assignee" type="search" .value=${f.assignee} placeholder="crew or person" autocomplete="off" maxlength="100"
          aria-invalid=${invalid ? 'true' : 'false'} aria-describedby=${ifDefined(describedBy)} />`)}
      <div class="field"><label class="check"><input type="checkbox" name="overdue" value="true" .checked=${f.overdue} /> Overdue only</label></div>
      ${this.tree.error ? html`<p class="form-error tree-error" role="alert">The departments and providers could not be loaded: ${errorText(this.tree.error)}</p>` : nothing}
      <div class="buttons">
        <button class="primary" type="submit">Search</button>
        <button type="button" @click=${() => this.apply(noFilters)}>Clear filters</button>
        <span class="muted">Lists apply at once; Enter in the assignee field searches. <kbd>Esc</kbd> goes back to the queue.</span>
      </div>
    </form>`;
  }

  private row(w: WorkOrderListItem, index: number) {
    const selected = index === this.selected;
    return html`<tr data-index=${index} class="${selected ? 'selected' : ''} ${w.overdue ? 'overdue' : ''}">
      <td class="number"><a href="/work-orders/${w.number}" aria-describedby=${ifDefined(w.overdue ? `late-${w.number}` : undefined)}>${w.number}</a></td>
      <td class="nowrap">${new Date(w.dueAt).toLocaleString()}
        ${w.overdue
          ? html`<br /><span class="late" id="late-${w.number}">⚠ Overdue, due ${fromNow(w.dueAt)}</span>`
          : html`<br /><span class="muted">${fromNow(w.dueAt)}</span>`}</td>
      <td class="priority-${w.priority}">${priorityNames[w.priority]}</td>
      <td>${workOrderStatusNames[w.status]}</td>
      <td>${w.problemName} <span class="code">${w.problemCode}</span><div class="muted">${w.workType}</div></td>
      <td>${w.providerName}</td>
      <td>${w.locationText || html`<span class="muted">—</span>`}</td>
      <td>${w.assignee || html`<span class="muted">not assigned</span>`}</td>
      <td class="callers">${w.callers}</td>
    </tr>`;
  }

  private renderList(first: WorkOrderPage, stale = false) {
    const items = [...first.items, ...this.more];
    const filtered = !same(this.filters, noFilters);
    if (items.length === 0) {
      return html`<p class="count" role="status">${filtered
        ? 'No work order matches these filters. Loosen one of them, or clear them all.'
        : 'No open work orders: the queue is empty. Work orders appear here when the desk files action requests.'}</p>`;
    }
    const overdue = items.filter((w) => w.overdue).length;
    const total = first.totalIsAtLeast ? `${first.total.toLocaleString('en-US')} or more` : first.total.toLocaleString('en-US');
    return html`<p class="count" role="status">${items.length} of ${total} ${first.total === 1 && !first.totalIsAtLeast ? 'work order' : 'work orders'}, soonest due first${overdue ? `; ${overdue} shown overdue` : ''}.</p>
      <table aria-label="Work orders" aria-describedby="keys">
        <thead><tr>
          <th scope="col">Number</th><th scope="col">Due</th><th scope="col">Priority</th><th scope="col">Status</th><th scope="col">Problem</th>
          <th scope="col">Provider</th><th scope="col">Location</th><th scope="col">Assignee</th><th scope="col" class="callers">Callers</th>
        </tr></thead>
        <tbody @focusin=${this.rowFocused}>${items.map((w, i) => this.row(w, i))}</tbody>
      </table>
      <div class="more">
        ${first.totalIsAtLeast || items.length < first.total
          ? html`<button type="button" ?disabled=${this.loadingMore || stale} @click=${() => void this.loadMore()}>${this.loadingMore ? 'Loading…' : `Load more (${first.totalIsAtLeast ? 'many' : first.total - items.length} left)`}</button>`
          : html`<span class="muted">That is all of them.</span>`}
        ${this.moreError ? html`<span class="form-error" role="alert">More work orders could not be loaded: ${this.moreError}</span>` : nothing}
      </div>`;
  }

  /** Tabbing onto a row makes it the keyboard's row, so j/k go on from there. */
  private rowFocused(event: FocusEvent): void {
    const row = (event.target as HTMLElement).closest('tr');
    const index = Number(row?.dataset['index']);
    if (Number.isInteger(index)) this.selected = index;
  }

  override render() {
    return html`<h1>Dispatch</h1>
      ${this.renderFilters()}
      <p class="keys" id="keys"><kbd>j</kbd>/<kbd>k</kbd> or <kbd>↓</kbd>/<kbd>↑</kbd> move through the queue, <kbd>Enter</kbd> opens the work order, <kbd>/</kbd> goes to the filters.</p>
      ${this.page.render({
        initial: () => html`<p class="count">Loading…</p>`,
        // The previous queue stays (dimmed) while the next loads, so the page does not jump.
        pending: () => (this.page.value ? html`<div class="stale" aria-busy="true">${this.renderList(this.page.value, true)}</div>` : html`<p class="count">Loading…</p>`),
        error: (error) =>
          error instanceof DOMException && error.name === 'AbortError'
            ? nothing
            : html`<div class="form-error" role="alert">The work orders could not be loaded: ${errorText(error)}</div>`,
        complete: (first) => this.renderList(first),
      })}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-dispatch-view': OwDispatchView;
  }
}
