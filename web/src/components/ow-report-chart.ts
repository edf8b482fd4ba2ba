// One chart of a report, drawn by Chart.js on a canvas, with the same figures as a table behind a
// disclosure (for screen readers, keyboards and anyone who wants the numbers) and the CSV download.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { viewStyles } from './shared-styles.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface Series {
  label: string;
  values: (number | null)[];
}

export interface ChartData {
  labels: string[];
  series: Series[];
}

/** The city's palette for series, in order; readable on white and apart for the common colour blindness. */
const colours = ['#1f5f99', '#d9822b', '#3c8d5a', '#8e44ad', '#c0392b', '#5d6d7e'];

@customElement('ow-report-chart')
export class OwReportChart extends LitElement {
  static override styles = [
    viewStyles,
    css`
      :host { display: block; padding: 0; max-width: none; }
      figure { margin: 0; background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; padding: 0.75rem 1rem; }
      figcaption { display: flex; justify-content: space-between; gap: 1rem; align-items: baseline; font-weight: 600; margin-bottom: 0.5rem; }
      figcaption a { font-weight: 400; font-size: 0.85rem; white-space: nowrap; }
      .canvas { position: relative; height: 15rem; }
      :host([tall]) .canvas { height: 22rem; }
      .empty { color: var(--ow-muted); font-size: 0.9rem; margin: 0.5rem 0; }
      details { margin-top: 0.5rem; font-size: 0.85rem; }
      summary { cursor: pointer; color: var(--ow-accent); }
      td.n, th.n { text-align: right; }
      table { font-size: 0.85rem; }
      .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    `,
  ];

  @property() heading = '';
  /** The CSV of this table, with the dashboard's filters. */
  @property() csv = '';
  @property({ attribute: false }) data: ChartData = { labels: [], series: [] };
  /** Bars along (`x`) or across (`y`: long names such as departments read better across). */
  @property() axis: 'x' | 'y' = 'x';
  @property({ type: Boolean }) stacked = false;
  /** Counts: the value axis marks whole numbers only (no "0.5 requests"). */
  @property({ type: Boolean }) fractions = false;
  /**
   * Shares of a whole (0 to 1): the value axis runs from 0 % to 100 % and is marked in per cent, and a
   * share of 0 is a figure (drawn as a sliver, the chart not "empty"), not the absence of one.
   */
  @property({ type: Boolean }) shares = false;
  /** How a value is written in the table and the tooltips (hours, shares …). */
  @property({ attribute: false }) format: (value: number) => string = (value) => value.toLocaleString('en-US');

  @query('canvas') private canvas!: HTMLCanvasElement;
  private chart: Chart | null = null;

  private config(): ChartConfiguration {
    const { labels, series } = this.data;
    const format = this.format;
    const category = { stacked: this.stacked, beginAtZero: true };
    // The axis the bars grow along: whole numbers for counts, per cent from 0 to 100 for shares.
    const value = {
      ...category,
      ...(this.shares ? { min: 0, max: 1 } : {}),
      ticks: this.shares ? { callback: (tick: string | number) => `${Math.round(Number(tick) * 100)}%` } : this.fractions ? {} : { precision: 0 },
    };
    return {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.values,
          backgroundColor: colours[i % colours.length],
          borderColor: colours[i % colours.length],
          // A bar of 0 % is still an answer ("nobody found it useful"): a few pixels long, not invisible.
          ...(this.shares ? { minBarLength: 4 } : {}),
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: this.axis,
        plugins: {
          legend: { display: series.length > 1, position: 'bottom' },
          tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${format(Number(item.raw))}` } },
        },
        scales: this.axis === 'x' ? { x: { ...category, ticks: { autoSkip: true } }, y: value } : { x: { ...value, ticks: { autoSkip: true, ...value.ticks } }, y: category },
      },
    };
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.canvas) return;
    if (!this.chart) this.chart = new Chart(this.canvas, this.config());
    else if (changed.has('data') || changed.has('axis') || changed.has('stacked') || changed.has('fractions') || changed.has('shares')) {
      const next = this.config();
      this.chart.data = next.data;
      this.chart.options = next.options!;
      this.chart.update();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.chart?.destroy();
    this.chart = null;
  }

  private get empty(): boolean {
    if (this.shares) return this.data.labels.length === 0;
    return this.data.series.every((s) => s.values.every((v) => v === null || v === 0));
  }

  private renderTable() {
    const { labels, series } = this.data;
    const cell = (v: number | null) => (v === null ? '—' : this.format(v));
    return html`<details>
      <summary>The figures as a table</summary>
      <table>
        <thead><tr><th scope="col"></th>${series.map((s) => html`<th scope="col" class="n">${s.label}</th>`)}</tr></thead>
        <tbody>${labels.map((label, i) => html`<tr><th scope="row">${label}</th>${series.map((s) => html`<td class="n">${cell(s.values[i] ?? null)}</td>`)}</tr>`)}</tbody>
      </table>
    </details>`;
  }

  override render() {
    const summary = `${this.heading}: ${this.data.labels.length} ${this.data.labels.length === 1 ? 'entry' : 'entries'}${this.empty ? ', all zero' : ''}. The figures are in the table below.`;
    return html`<figure>
      <figcaption><span>${this.heading}</span>${this.csv ? html`<a href=${this.csv} download>Download CSV<span class="sr"> of ${this.heading}</span></a>` : ''}</figcaption>
      ${this.empty ? html`<p class="empty">Nothing to show for this period.</p>` : ''}
      <div class="canvas" ?hidden=${this.empty}><canvas role="img" aria-label=${summary}></canvas></div>
      ${this.renderTable()}
    </figure>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-report-chart': OwReportChart;
  }
}
