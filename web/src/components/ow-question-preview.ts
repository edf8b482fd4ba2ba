import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Question } from '../data/hierarchy.ts';
import type { Answer } from '../data/requests.ts';
import { fire } from '../events.ts';

/**
 * A problem code's questions as the clerk (or a resident) sees them, in their order, with the code's
 * read-only notices between them. The administrator's preview shows it empty; the desk fills it in:
 * `answers` down, `ow-answers-changed` (the question answered and its answer, null when emptied) up,
 * and `errors` (by question code) shown next to their question.
 */
@customElement('ow-question-preview')
export class OwQuestionPreview extends LitElement {
  static override styles = css`
    :host { display: grid; gap: 0.7rem; }
    label, fieldset { display: grid; gap: 0.25rem; font-weight: 600; font-size: 0.9rem; }
    fieldset { border: 0; padding: 0; margin: 0; }
    input, select, textarea { font: inherit; font-weight: 400; padding: 0.35rem 0.5rem; border: 1px solid var(--ow-border); border-radius: 4px; background: var(--ow-surface); }
    :focus-visible { outline: 3px solid var(--ow-focus); outline-offset: 1px; }
    .notice { background: #fff8e1; border-left: 4px solid #f5a623; padding: 0.45rem 0.7rem; font-size: 0.9rem; }
    .required { color: var(--ow-danger); }
    .choice { font-weight: 400; display: flex; gap: 0.35rem; align-items: center; }
    .error { color: var(--ow-danger); font-weight: 400; font-size: 0.85rem; }
    [aria-invalid='true'] { border-color: var(--ow-danger); }
  `;

  @property({ attribute: false }) questions: Question[] = [];
  @property({ attribute: false }) answers: Record<string, Answer> = {};
  @property({ attribute: false }) errors: Record<string, string> = {};
  @property({ type: Boolean }) disabled = false;

  private change(q: Question, value: Answer | null): void {
    const answers: Record<string, Answer> = { ...this.answers };
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) delete answers[q.code];
    else answers[q.code] = value;
    this.answers = answers;
    fire(this, 'ow-answers-changed', { code: q.code, value: answers[q.code] ?? null });
  }

  private read(q: Question, target: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): Answer | null {
    if (q.datatype === 'number') return target.value === '' ? null : Number(target.value);
    // datetime-local has no offset; the browser's own offset is added, as the server wants one.
    if (q.datatype === 'datetime') return target.value === '' ? null : new Date(target.value).toISOString();
    return target.value;
  }

  private toLocalInput(value: Answer | undefined): string {
    if (typeof value !== 'string' || value === '') return '';
    const d = new Date(value);
    if (Number.isNaN(d.getTime())) return '';
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  private field(q: Question) {
    const error = this.errors[q.code];
    const title = html`${q.description || html`<em>(no wording yet)</em>`}${q.required ? html` <span class="required" aria-label="required">*</span>` : nothing}`;
    const message = error ? html`<span class="error" id="err-${q.code}">${error}</span>` : nothing;
    const value = this.answers[q.code];
    const onChange = (e: Event) => this.change(q, this.read(q, e.target as HTMLInputElement));
    const common = { invalid: error ? 'true' : 'false', describedBy: error ? `err-${q.code}` : '' };
    switch (q.datatype) {
      case 'singlevaluelist':
        return html`<label>${title}<select name=${q.code} ?required=${q.required} ?disabled=${this.disabled} aria-invalid=${common.invalid} aria-describedby=${common.describedBy} @change=${onChange}>
            <option value=""></option>
            ${(q.values ?? []).map((v) => html`<option value=${v.key} ?selected=${value === v.key}>${v.name}</option>`)}
          </select>${message}</label>`;
      case 'multivaluelist': {
        const chosen = Array.isArray(value) ? value : [];
        const toggle = (key: string, on: boolean) => this.change(q, on ? [...chosen.filter((k) => k !== key), key] : chosen.filter((k) => k !== key));
        return html`<fieldset aria-invalid=${common.invalid} aria-describedby=${common.describedBy}><legend>${title}</legend>${(q.values ?? []).map(
          (v) => html`<label class="choice"><input type="checkbox" name=${q.code} value=${v.key} .checked=${chosen.includes(v.key)} ?disabled=${this.disabled} @change=${(e: Event) => toggle(v.key, (e.target as HTMLInputElement).checked)} /> ${v.name}</label>`,
        )}${message}</fieldset>`;
      }
      case 'text':
        return html`<label>${title}<textarea name=${q.code} rows="3" ?required=${q.required} ?disabled=${this.disabled} aria-invalid=${common.invalid} aria-describedby=${common.describedBy} .value=${typeof value === 'string' ? value : ''} @change=${onChange}></textarea>${message}</label>`;
      case 'number':
        return html`<label>${title}<input type="number" name=${q.code} ?required=${q.required} ?disabled=${this.disabled} aria-invalid=${common.invalid} aria-describedby=${common.describedBy} .value=${value === undefined ? '' : String(value)} @change=${onChange} />${message}</label>`;
      case 'datetime':
        return html`<label>${title}<input type="datetime-local" name=${q.code} ?required=${q.required} ?disabled=${this.disabled} aria-invalid=${common.invalid} aria-describedby=${common.describedBy} .value=${this.toLocalInput(value)} @change=${onChange} />${message}</label>`;
      default:
        return html`<label>${title}<input type="text" name=${q.code} ?required=${q.required} ?disabled=${this.disabled} aria-invalid=${common.invalid} aria-describedby=${common.describedBy} .value=${typeof value === 'string' ? value : ''} @change=${onChange} />${message}</label>`;
    }
  }

  override render() {
    const ordered = [...this.questions].sort((a, b) => a.order - b.order);
    if (ordered.length === 0) return html`<p>No questions: the clerk records a location and a description only.</p>`;
    return ordered.map((q) => (q.variable ? this.field(q) : html`<div class="notice" role="note">${q.description}</div>`));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-question-preview': OwQuestionPreview;
  }
}
