import { Task } from '@lit/task';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { ChartData } from '../components/ow-report-chart.ts';
import '../components/ow-report-chart.ts';
import { viewStyles } from '../components/shared-styles.ts';
import { ApiError } from '../data/api.ts';
import { getTree } from '../data/hierarchy.ts';
import {
  csvUrl,
  getDesk,
  getKnowledgeBase,
  getServiceLevels,
  getVolumes,
  intervalNames,
  type Interval,
  type ReportFilters,
  type ReportName,
  type Row,
} from '../data/reports.ts';
import { channelNames, type Channel } from '../data/requests.ts';

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
const isCode = (s: string) => /^[A-Za-z0-9_.-]{1,40}$/.test(s);
const isOneOf = <T extends string>(names: Record<T, string>, value: string): value is T => Object.hasOwn(names, value);
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The last 30 days up to today (the browser's date; the server reads the dates in the city's time zone). */
function lastDays(days: number): { from: string; to: string } {
  const now = Date.now();
  return { from: dayOf(now - (days - 1) * 86_400_000), to: dayOf(now) };
}

/** The filters named in the address bar; what is missing or impossible takes its default. */
function readFilters(search: string): ReportFilters {
  const params = new URLSearchParams(search);
  const get = (key: string) => (params.get(key) ?? '').trim();
  const fallback = lastDays(30);
  const interval = get('interval');
  const channel = get('channel');
  return {
    from: isDate(get('from')) ? get('from') : fallback.from,
    to: isDate(get('to')) ? get('to') : fallback.to,
    interval: isOneOf(intervalNames, interval) ? interval : 'day',
    department: isCode(get('department')) ? get('department') : undefined,
    channel: isOneOf(channelNames, channel) ? channel : undefined,
  };
}

function searchOf(f: ReportFilters): string {
  const params = new URLSearchParams({ from: f.from, to: f.to });
  if (f.interval !== 'day') params.set('interval', f.interval);
  if (f.department) params.set('department', f.department);
  if (f.channel) params.set('channel', f.channel);
  return `?${params.toString()}`;
}

const number = (n: number) => n.toLocaleString('en-US');
const percent = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);
const hours = (h: number) => `${h.toLocaleString('en-US', { maximumFractionDigits: 1 })} h`;
const duration = (seconds: number | null) => (seconds === null ? '—' : `${Math.floor(seconds / 60)} min ${seconds % 60} s`);
const oldest = (days: number | null) => (days === null ? undefined : `oldest ${days} ${days === 1 ? 'day' : 'days'}`);
const errorText = (error: unknown) => (error instanceof ApiError ? error.summary : error instanceof Error ? error.message : String(error));

/** A bar per row of a breakdown (the first `limit` rows: the largest). */
const rowsChart = (rows: Row[], label: string, limit = rows.length): ChartData => ({ labels: rows.slice(0, limit).map((r) => r.name), series: [{ label, values: rows.slice(0, limit).map((r) => r.count) }] });

/**
 * The managers' dashboard: volumes, service levels, the desk and the knowledge base for a period of the
 * city's dates, each as charts with their figures and CSV downloads. The filters live in the address
 * bar, so a view can be bookmarked or sent to someone.
 */
@customElement('ow-reports-view')
export class OwReportsView extends LitElement {
  static override styles = [
    viewStyles,
    css`
      :host { max-width: 90rem; }
      form.filters { max-width: none; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); align-items: end;
        background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; padding: 0.75rem 1rem; }
      .field { min-width: 0; }
      select, input { width: 100%; min-width: 0; box-sizing: border-box; }
      .note { max-width: none; font-size: 0.85rem; margin: 0.5rem 0 0; }
      section { margin-top: 1.5rem; }
      .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: 0.75rem; margin: 0 0 1rem; }
      .figure { background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; padding: 0.6rem 0.8rem; }
      .figure dt { font-size: 0.8rem; color: var(--ow-muted); }
      .figure dd { margin: 0.2rem 0 0; font-size: 1.35rem; font-weight: 600; }
      .figure small { display: block; font-size: 0.8rem; font-weight: 400; color: var(--ow-muted); }
      .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(26rem, 1fr)); gap: 1rem; }
      .wide { grid-column: 1 / -1; }
      .stale { opacity: 0.55; }
      .tables { display: grid; grid-template-columns: repeat(auto-fill, minmax(26rem, 1fr)); gap: 1rem; }
      .tables figure { margin: 0; background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; padding: 0.75rem 1rem; }
      .tables figcaption { display: flex; justify-content: space-between; font-weight: 600; margin-bottom: 0.5rem; }
      .tables figcaption a { font-weight: 400; font-size: 0.85rem; }
      td.n, th.n { text-align: right; }
    `,
  ];

  @state() private filters: ReportFilters = readFilters(window.location.search);

  private readonly tree = new Task(this, { task: (_args, { signal }) => getTree(false, signal), args: () => [] as const });
  private readonly volumes = new Task(this, { task: ([f], { signal }) => getVolumes(f, signal), args: () => [this.filters] as const });
  private readonly levels = new Task(this, { task: ([f], { signal }) => getServiceLevels(f, signal), args: () => [this.filters] as const });
  private readonly desk = new Task(this, { task: ([f], { signal }) => getDesk(f, signal), args: () => [this.filters] as const });
  private readonly kb = new Task(this, { task: ([f], { signal }) => getKnowledgeBase(f, signal), args: () => [this.filters] as const });

  private readonly popstate = () => {
    this.filters = readFilters(window.location.search);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.popstate);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.popstate);
  }

  /** Shows the new filters and puts them in the address bar (a new history entry: Back returns to the last view). */
  private changed(event: Event): void {
    const form = (event.target as HTMLElement).closest('form')!;
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (value !== '') params.set(key, String(value));
    const filters = readFilters(params.toString());
    const search = searchOf(filters);
    if (search === window.location.search) return;
    window.history.pushState(window.history.state, '', `${window.location.pathname}${search}`);
    this.filters = filters;
  }

  private csv(report: ReportName, table: string): string {
    return csvUrl(report, table, this.filters);
  }

  /** The message for a field the server named, from whichever report said so first. */
  private fieldError(field: string): string | undefined {
    for (const task of [this.volumes, this.levels, this.desk, this.kb]) {
      if (task.error instanceof ApiError) {
        const detail = task.error.details.find((d) => d.field === `/querystring/${field}`);
        if (detail) return detail.message;
      }
    }
    return undefined;
  }

  private renderFilters() {
    const f = this.filters;
    const departments = this.tree.value ?? [];
    const dateField = (name: 'from' | 'to', label: string) => {
      const error = this.fieldError(name);
      return html`<div class="field">
        <label for=${name}>${label}</label>
        <input id=${name} name=${name} type="date" .value=${f[name]} required aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? `${name}-error` : nothing} />
        ${error ? html`<span class="field-error" id=${`${name}-error`}>${error}</span>` : nothing}
      </div>`;
    };
    return html`<form class="filters" aria-label="Report filters" @change=${this.changed} @submit=${(e: Event) => e.preventDefault()}>
        ${dateField('from', 'From')} ${dateField('to', 'To (included)')}
        <div class="field">
          <label for="interval">Group by</label>
          <select id="interval" name="interval">
            ${(Object.keys(intervalNames) as Interval[]).map((i) => html`<option value=${i} ?selected=${f.interval === i}>${intervalNames[i]}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="department">Department</label>
          <select id="department" name="department" aria-invalid=${this.fieldError('department') ? 'true' : 'false'}>
            <option value="" ?selected=${!f.department}>All departments</option>
            ${departments.map((d) => html`<option value=${d.code} ?selected=${f.department === d.code}>${d.name}</option>`)}
          </select>
          ${this.fieldError('department') ? html`<span class="field-error">${this.fieldError('department')}</span>` : nothing}
        </div>
        <div class="field">
          <label for="channel">Channel</label>
          <select id="channel" name="channel">
            <option value="" ?selected=${!f.channel}>All channels</option>
            ${(Object.keys(channelNames) as Channel[]).map((c) => html`<option value=${c} ?selected=${f.channel === c}>${channelNames[c]}</option>`)}
          </select>
        </div>
      </form>
      <p class="note">
        Days, weeks and months are the city's (${this.volumes.value?.range.timeZone ?? 'its time zone'}). A department counts its problem codes' requests and the work it is
        responsible for; information requests and comments have no department. The channel applies to requests, not to work orders. "Now" figures are as of loading.
      </p>`;
  }

  /** A report's part of the page: its figures and charts, dimmed while the next filters load. */
  private section<T>(title: string, task: Task<readonly [ReportFilters], T>, body: (report: T) => TemplateResult) {
    return html`<section aria-labelledby=${`${title}-heading`.replace(/\W+/g, '-')}>
      <h2 id=${`${title}-heading`.replace(/\W+/g, '-')}>${title}</h2>
      ${task.render({
        initial: () => html`<p>Loading…</p>`,
        pending: () => (task.value === undefined ? html`<p>Loading…</p>` : html`<div class="stale" aria-busy="true">${body(task.value)}</div>`),
        error: (error) =>
          error instanceof DOMException && error.name === 'AbortError' ? nothing : html`<div class="form-error" role="alert">${title} could not be loaded: ${errorText(error)}</div>`,
        complete: (report) => body(report),
      })}
    </section>`;
  }

  /** The report's headline figures: name, value, a test id, and a line under the value. */
  private figures(items: [string, string, string, string?][]) {
    return html`<dl class="figures">
      ${items.map(([name, value, id, under]) => html`<div class="figure"><dt>${name}</dt><dd><span data-figure=${id}>${value}</span>${under ? html`<small>${under}</small>` : nothing}</dd></div>`)}
    </dl>`;
  }

  private renderVolumes = (r: Awaited<ReturnType<typeof getVolumes>>) => {
    const series: ChartData = {
      labels: r.series.map((p) => p.bucket),
      series: [
        { label: 'Information', values: r.series.map((p) => p.information) },
        { label: 'Action', values: r.series.map((p) => p.action) },
        { label: 'Comment', values: r.series.map((p) => p.comment) },
      ],
    };
    return html`${this.figures([
        ['Requests', number(r.total), 'requests'],
        ...r.byType.map((t): [string, string, string] => [t.name, number(t.count), `type-${t.key}`]),
        ['Cancelled (not counted)', number(r.cancelled), 'cancelled'],
      ])}
      <div class="charts">
        <ow-report-chart class="wide" tall heading="Requests by ${intervalNames[r.range.interval].toLowerCase().replace(/ \(.*/, '')} and type" stacked .data=${series} csv=${this.csv('volumes', 'series')}></ow-report-chart>
        <ow-report-chart heading="By channel" axis="y" .data=${rowsChart(r.byChannel, 'Requests')} csv=${this.csv('volumes', 'channel')}></ow-report-chart>
        <ow-report-chart heading="By department" axis="y" .data=${rowsChart(r.byDepartment, 'Requests')} csv=${this.csv('volumes', 'department')}></ow-report-chart>
        <ow-report-chart heading="By provider (top 10)" axis="y" .data=${rowsChart(r.byProvider, 'Requests', 10)} csv=${this.csv('volumes', 'provider')}></ow-report-chart>
        <ow-report-chart heading="By category (top 10)" axis="y" .data=${rowsChart(r.byCategory, 'Requests', 10)} csv=${this.csv('volumes', 'category')}></ow-report-chart>
        <ow-report-chart heading="By problem code (top 10)" axis="y" .data=${rowsChart(r.byProblemCode, 'Requests', 10)} csv=${this.csv('volumes', 'problem-code')}></ow-report-chart>
        <ow-report-chart heading="Comments by kind" .data=${rowsChart(r.commentsByKind, 'Comments')} csv=${this.csv('volumes', 'comment-kind')}></ow-report-chart>
      </div>`;
  };

  private renderLevels = (r: Awaited<ReturnType<typeof getServiceLevels>>) => {
    const top = r.byProvider.slice(0, 10);
    return html`${this.figures([
        ['Work orders opened', number(r.opened), 'opened'],
        ['Completed', number(r.completed), 'completed'],
        ['Completed on time', percent(r.onTimeShare), 'on-time'],
        ['Cancelled', number(r.cancelled), 'wo-cancelled'],
        ['Open now', number(r.openNow), 'open-now'],
        ['Overdue now', number(r.overdueNow), 'overdue-now'],
      ])}
      <div class="charts">
        <ow-report-chart class="wide" heading="Work orders opened and completed" .data=${{
          labels: r.series.map((p) => p.bucket),
          series: [{ label: 'Opened', values: r.series.map((p) => p.opened) }, { label: 'Completed', values: r.series.map((p) => p.completed) }],
        }} csv=${this.csv('service-levels', 'series')}></ow-report-chart>
        <ow-report-chart heading="Hours to complete by provider (top 10 by work done)" axis="y" fractions .format=${hours} .data=${{
          labels: top.map((p) => p.name),
          series: [{ label: 'Median', values: top.map((p) => p.medianHours) }, { label: '90th percentile', values: top.map((p) => p.p90Hours) }],
        }} csv=${this.csv('service-levels', 'provider')}></ow-report-chart>
        <ow-report-chart heading="Hours to complete by problem code (top 10)" axis="y" fractions .format=${hours} .data=${{
          labels: r.byProblemCode.slice(0, 10).map((p) => p.name),
          series: [{ label: 'Median', values: r.byProblemCode.slice(0, 10).map((p) => p.medianHours) }, { label: '90th percentile', values: r.byProblemCode.slice(0, 10).map((p) => p.p90Hours) }],
        }} csv=${this.csv('service-levels', 'problem-code')}></ow-report-chart>
      </div>`;
  };

  private renderDesk = (r: Awaited<ReturnType<typeof getDesk>>) => {
    const lengths = r.contactLength.byChannel;
    return html`${this.figures([
        ['First-contact resolution', percent(r.informationRequests.rate), 'fcr'],
        ['Information requests', number(r.informationRequests.handled), 'information'],
        ['Converted to action', number(r.informationRequests.converted), 'converted'],
        ['Average contact', duration(r.contactLength.all.averageSeconds), 'contact-length'],
        ['Callers per work order', r.workOrders.callersPerWorkOrder === null ? '—' : r.workOrders.callersPerWorkOrder.toFixed(2), 'callers'],
        ['Duplicate reports joined', number(r.workOrders.duplicatesAvoided), 'joined'],
        ['Replies owed now', number(r.repliesOwed.count), 'replies-owed', oldest(r.repliesOwed.oldestDays)],
        ['Answers owed now', number(r.answersOwed.count), 'answers-owed', oldest(r.answersOwed.oldestDays)],
      ])}
      <div class="charts">
        <ow-report-chart heading="Callers per work order" .data=${rowsChart(r.workOrders.distribution, 'Work orders')} csv=${this.csv('desk', 'callers')}></ow-report-chart>
        <ow-report-chart heading="Average contact by channel (minutes)" fractions .format=${(m: number) => `${m.toFixed(1)} min`} .data=${{
          labels: lengths.map((l) => l.name),
          series: [{ label: 'Minutes', values: lengths.map((l) => (l.averageSeconds === null ? null : l.averageSeconds / 60)) }],
        }} csv=${this.csv('desk', 'contact-length')}></ow-report-chart>
        <ow-report-chart heading="Still owed, by age" .data=${{
          labels: r.repliesOwed.ages.map((a) => a.name),
          series: [{ label: 'Replies to comments', values: r.repliesOwed.ages.map((a) => a.count) }, { label: 'Answers on finished work', values: r.answersOwed.ages.map((a) => a.count) }],
        }} csv=${this.csv('desk', 'answers-owed')}></ow-report-chart>
      </div>`;
  };

  private renderKnowledgeBase = (r: Awaited<ReturnType<typeof getKnowledgeBase>>) =>
    html`<div class="charts">
        <ow-report-chart heading="Most used articles" axis="y" .data=${{
          labels: r.mostUsed.map((a) => a.title),
          series: [{ label: 'Uses', values: r.mostUsed.map((a) => a.uses) }, { label: 'Views', values: r.mostUsed.map((a) => a.views) }],
        }} csv=${this.csv('knowledge-base', 'most-used')}></ow-report-chart>
        <ow-report-chart heading="Worst rated articles (share found useful)" axis="y" shares .format=${(v: number) => percent(v)} .data=${{
          labels: r.worstRated.map((a) => a.title),
          series: [{ label: 'Found useful', values: r.worstRated.map((a) => a.usefulShare) }],
        }} csv=${this.csv('knowledge-base', 'worst-rated')}></ow-report-chart>
      </div>
      <div class="tables">
        <figure>
          <figcaption><span id="misses-caption">Searches with no result</span><a href=${this.csv('knowledge-base', 'search-misses')} download>Download CSV</a></figcaption>
          ${r.searchMisses.length === 0
            ? html`<p>None in this period.</p>`
            : html`<table aria-labelledby="misses-caption">
                <thead><tr><th scope="col">Search</th><th scope="col" class="n">Times</th><th scope="col" class="n">Desk</th><th scope="col" class="n">Portal</th></tr></thead>
                <tbody>${r.searchMisses.map((m) => html`<tr><td>${m.query}</td><td class="n">${m.searches}</td><td class="n">${m.desk}</td><td class="n">${m.portal}</td></tr>`)}</tbody>
              </table>`}
        </figure>
      </div>`;

  override render() {
    return html`<h1>Reports</h1>
      ${this.renderFilters()}
      ${this.section('Volumes', this.volumes, this.renderVolumes)}
      ${this.section('Service levels', this.levels, this.renderLevels)}
      ${this.section('The desk', this.desk, this.renderDesk)}
      ${this.section('Knowledge base', this.kb, this.renderKnowledgeBase)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-reports-view': OwReportsView;
  }
}
