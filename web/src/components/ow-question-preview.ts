import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Question } from '../data/hierarchy.ts';

/** A problem code's questions as the clerk (or a resident) will see them, in their order. */
@customElement('ow-question-preview')
export class OwQuestionPreview extends LitElement {
  static override styles = css`
    :host { display: grid; gap: 0.7rem; }
    label, fieldset { display: grid; gap: 0.25rem; font-weight: 600; font-size: 0.9rem; }
    fieldset { border: 0; padding: 0; margin: 0; }
    input, select, textarea { font: inherit; font-weight: 400; padding: 0.35rem 0.5rem; border: 1px solid var(--ow-border); border-radius: 4px; }
    .notice { background: #fff8e1; border-left: 4px solid #f5a623; padding: 0.45rem 0.7rem; font-size: 0.9rem; }
    .required { color: var(--ow-danger); }
    .choice { font-weight: 400; display: flex; gap: 0.35rem; align-items: center; }
  `;

  @property({ attribute: false }) questions: Question[] = [];

  private field(q: Question) {
    const title = html`${q.description || html`<em>(no wording yet)</em>`}${q.required ? html` <span class="required" aria-label="required">*</span>` : nothing}`;
    switch (q.datatype) {
      case 'singlevaluelist':
        return html`<label>${title}<select ?required=${q.required}><option value=""></option>${(q.values ?? []).map((v) => html`<option value=${v.key}>${v.name}</option>`)}</select></label>`;
      case 'multivaluelist':
        return html`<fieldset><legend>${title}</legend>${(q.values ?? []).map((v) => html`<label class="choice"><input type="checkbox" value=${v.key} /> ${v.name}</label>`)}</fieldset>`;
      case 'text':
        return html`<label>${title}<textarea rows="3" ?required=${q.required}></textarea></label>`;
      case 'number':
        return html`<label>${title}<input type="number" ?required=${q.required} /></label>`;
      case 'datetime':
        return html`<label>${title}<input type="datetime-local" ?required=${q.required} /></label>`;
      default:
        return html`<label>${title}<input type="text" ?required=${q.required} /></label>`;
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
