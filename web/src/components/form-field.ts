import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';

export interface FieldOptions {
  label: string;
  name: string;
  type?: 'text' | 'password' | 'email' | 'number';
  value?: string;
  /** The server's (or the form's) message for this field; shown under it and announced. */
  error?: string | undefined;
  autocomplete?: string;
  required?: boolean;
  autofocus?: boolean;
}

/**
 * A labelled input with its error message under it. The message sits outside the label, so the
 * field's accessible name stays its label; it is linked to the input with aria-describedby.
 */
export function field(o: FieldOptions) {
  const errorId = `${o.name}-error`;
  return html`<div class="field"><label>
    ${o.label}
    <input
      name=${o.name}
      type=${o.type ?? 'text'}
      .value=${o.value ?? ''}
      autocomplete=${ifDefined(o.autocomplete)}
      ?required=${o.required ?? false}
      ?autofocus=${o.autofocus ?? false}
      aria-invalid=${o.error ? 'true' : 'false'}
      aria-describedby=${ifDefined(o.error ? errorId : undefined)}
    />
  </label>
  ${o.error ? html`<span class="field-error" id=${errorId}>${o.error}</span>` : nothing}</div>`;
}

/** The values of a form's named controls. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  return Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v)]));
}
