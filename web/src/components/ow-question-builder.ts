import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Datatype, Question } from '../data/hierarchy.ts';
import { fire } from '../events.ts';

const datatypes: { value: Datatype; label: string }[] = [
  { value: 'string', label: 'Short text' },
  { value: 'text', label: 'Long text' },
  { value: 'number', label: 'Number' },
  { value: 'datetime', label: 'Date and time' },
  { value: 'singlevaluelist', label: 'Choose one' },
  { value: 'multivaluelist', label: 'Choose several' },
];
/** V1, V2, … : the first not already taken (keys must stay unique after removals). */
const unusedKey = (taken: string[]) => {
  let n = taken.length + 1;
  while (taken.includes(`V${n}`)) n++;
  return `V${n}`;
};
const isList = (q: Question) => q.datatype === 'singlevaluelist' || q.datatype === 'multivaluelist';

/**
 * Edits a problem code's questions (Open311 attributes): add, reorder, edit, remove, and their list
 * values; a read-only notice is a question that is not `variable`. Properties down (`questions`,
 * `errors`), `ow-questions-changed` up; it never keeps a copy of its own.
 */
@customElement('ow-question-builder')
export class OwQuestionBuilder extends LitElement {
  static override styles = css`
    :host { display: block; }
    fieldset { border: 1px solid var(--ow-border); border-radius: 4px; margin: 0 0 0.75rem; padding: 0.6rem 0.8rem; background: var(--ow-surface); }
    legend { font-weight: 600; font-size: 0.9rem; }
    .row { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: end; }
    label { display: grid; gap: 0.2rem; font-size: 0.85rem; font-weight: 600; }
    label.check { display: flex; align-items: center; gap: 0.35rem; font-weight: 400; }
    input, select { font: inherit; font-weight: 400; padding: 0.35rem 0.5rem; border: 1px solid var(--ow-border); border-radius: 4px; }
    input.wide { min-width: 16rem; }
    .values .row { flex-wrap: nowrap; }
    .values input { min-width: 0; }
    .values label:nth-child(2) { flex: 1; }
    button { font: inherit; font-size: 0.85rem; padding: 0.3rem 0.6rem; border: 1px solid var(--ow-border); border-radius: 4px; background: #fff; cursor: pointer; }
    .values { margin-top: 0.5rem; display: grid; gap: 0.35rem; }
    .error { color: var(--ow-danger); font-size: 0.85rem; }
    :focus-visible { outline: 3px solid var(--ow-focus); outline-offset: 1px; }
  `;

  @property({ attribute: false }) questions: Question[] = [];
  /** Server messages by JSON path below the questions, e.g. `/1/code`. */
  @property({ attribute: false }) errors: Record<string, string> = {};

  private emit(questions: Question[]): void {
    // Orders follow the list: the builder's order is the clerk's order.
    fire(this, 'ow-questions-changed', { questions: questions.map((q, i) => ({ ...q, order: i + 1 })) });
  }

  private change(index: number, patch: Partial<Question>): void {
    this.emit(
      this.questions.map((q, i) => {
        if (i !== index) return q;
        const next = { ...q, ...patch };
        if (!isList(next)) delete next.values;
        else next.values ??= [];
        if (!next.variable) next.required = false;
        return next;
      }),
    );
  }

  private move(index: number, by: number): void {
    const list = [...this.questions];
    const [q] = list.splice(index, 1);
    list.splice(index + by, 0, q!);
    this.emit(list);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#q-${index + by} input`)?.focus());
  }

  private add(): void {
    const used = new Set(this.questions.map((q) => q.code));
    let n = this.questions.length + 1;
    while (used.has(`Q${n}`)) n++;
    this.emit([...this.questions, { code: `Q${n}`, variable: true, datatype: 'string', required: false, order: this.questions.length + 1, description: '' }]);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#q-${this.questions.length - 1} input[name=description]`)?.focus());
  }

  private error(path: string) {
    const message = this.errors[path];
    return message ? html`<span class="error" role="alert">${message}</span>` : nothing;
  }

  private renderValues(q: Question, index: number) {
    const values = q.values ?? [];
    const setValues = (next: { key: string; name: string }[]) => this.change(index, { values: next });
    return html`<div class="values" role="group" aria-label="Choices for question ${index + 1}">
      ${values.map(
        (v, vi) => html`<div class="row">
          <label>Key <input size="10" .value=${v.key} @change=${(e: Event) => setValues(values.map((x, j) => (j === vi ? { ...x, key: (e.target as HTMLInputElement).value.trim() } : x)))} /></label>
          <label>Shown as <input .value=${v.name} @change=${(e: Event) => setValues(values.map((x, j) => (j === vi ? { ...x, name: (e.target as HTMLInputElement).value } : x)))} /></label>
          <button type="button" aria-label="Remove choice ${vi + 1}" @click=${() => setValues(values.filter((_, j) => j !== vi))}>Remove</button>
          ${this.error(`/${index}/values/${vi}/key`)}
        </div>`,
      )}
      <div><button type="button" @click=${() => setValues([...values, { key: unusedKey(values.map((x) => x.key)), name: '' }])}>Add choice</button> ${this.error(`/${index}/values`)}</div>
    </div>`;
  }

  override render() {
    return html`${this.questions.map(
        (q, i) => html`<fieldset id="q-${i}">
          <legend>Question ${i + 1}${q.variable ? '' : ' (notice)'}</legend>
          <div class="row">
            <label>Asked as <input class="wide" name="description" .value=${q.description} @change=${(e: Event) => this.change(i, { description: (e.target as HTMLInputElement).value })} /></label>
            <label>Code <input name="code" size="12" .value=${q.code} @change=${(e: Event) => this.change(i, { code: (e.target as HTMLInputElement).value.trim().toUpperCase() })} /></label>
            <label>Answer
              <select @change=${(e: Event) => this.change(i, { datatype: (e.target as HTMLSelectElement).value as Datatype })}>
                ${datatypes.map((d) => html`<option value=${d.value} ?selected=${d.value === q.datatype}>${d.label}</option>`)}
              </select>
            </label>
            <label class="check"><input type="checkbox" .checked=${q.required} ?disabled=${!q.variable} @change=${(e: Event) => this.change(i, { required: (e.target as HTMLInputElement).checked })} /> Required</label>
            <label class="check"><input type="checkbox" .checked=${!q.variable} @change=${(e: Event) => this.change(i, { variable: !(e.target as HTMLInputElement).checked })} /> Notice only</label>
            <button type="button" aria-label="Move question ${i + 1} up" ?disabled=${i === 0} @click=${() => this.move(i, -1)}>↑</button>
            <button type="button" aria-label="Move question ${i + 1} down" ?disabled=${i === this.questions.length - 1} @click=${() => this.move(i, 1)}>↓</button>
            <button type="button" aria-label="Remove question ${i + 1}" @click=${() => this.emit(this.questions.filter((_, j) => j !== i))}>Remove</button>
          </div>
          ${this.error(`/${i}`)} ${this.error(`/${i}/code`)} ${this.error(`/${i}/description`)} ${this.error(`/${i}/order`)}
          ${isList(q) ? this.renderValues(q, i) : nothing}
        </fieldset>`,
      )}
      <button type="button" @click=${this.add}>Add question</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-question-builder': OwQuestionBuilder;
  }
}
