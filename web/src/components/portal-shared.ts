// What the portal's forms share: their look, the reporter's details (or none), and the server's
// problems put next to the fields they are about.
import { css, html, nothing } from 'lit';
import { ApiError } from '../data/api.ts';
import type { Reporter } from '../data/portal.ts';

export const portalStyles = css`
  :host { display: block; }
  h2 { font-size: 1.2rem; margin: 0 0 0.6rem; }
  h3 { font-size: 1rem; margin: 0 0 0.5rem; }
  p { line-height: 1.5; margin: 0.3rem 0; max-width: 62ch; }
  a { color: var(--ow-accent); }
  :focus-visible { outline: 3px solid var(--ow-focus); outline-offset: 2px; }
  form { display: grid; gap: 1.2rem; max-width: 40rem; }
  fieldset { border: 1px solid var(--ow-border); border-radius: 6px; padding: 0.9rem 1rem 1rem; margin: 0; display: grid; gap: 0.7rem; background: var(--ow-surface); }
  legend { font-weight: 700; padding: 0 0.3rem; }
  label { display: grid; gap: 0.25rem; font-weight: 600; font-size: 0.9rem; }
  .field { display: grid; gap: 0.25rem; }
  label.choice { display: flex; gap: 0.45rem; align-items: center; font-weight: 400; }
  input, select, textarea { font: inherit; font-weight: 400; padding: 0.45rem 0.6rem; border: 1px solid var(--ow-border); border-radius: 4px; background: var(--ow-surface); }
  [aria-invalid='true'] { border-color: var(--ow-danger); }
  .hint { color: var(--ow-muted); font-size: 0.85rem; font-weight: 400; }
  .error { color: var(--ow-danger); font-size: 0.85rem; font-weight: 400; }
  .form-error { color: var(--ow-danger); background: #fdecea; border: 1px solid #f5c2bd; border-radius: 4px; padding: 0.6rem 0.8rem; }
  .done { background: #e8f5ee; border: 1px solid #b7e0c7; border-radius: 6px; padding: 1rem 1.2rem; max-width: 40rem; }
  .done .number { font-size: 1.6rem; font-weight: 700; letter-spacing: 0.03em; }
  .notice { background: #fff8e1; border-left: 4px solid #f5a623; padding: 0.45rem 0.7rem; font-size: 0.9rem; }
  button { font: inherit; padding: 0.5rem 1rem; border-radius: 4px; border: 1px solid var(--ow-border); background: var(--ow-surface); cursor: pointer; }
  button.primary { background: var(--ow-accent); color: var(--ow-accent-text); border-color: var(--ow-accent); font-weight: 600; }
  button.link { border: 0; background: none; color: var(--ow-accent); text-decoration: underline; padding: 0; }
  button:disabled { opacity: 0.6; cursor: default; }
  ul.services { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.55rem; }
  ul.services .hint { display: block; }
  .row { display: flex; gap: 0.75rem; flex-wrap: wrap; align-items: center; }
`;

/** The server's problems by field (`/body/contact/email` → `contact/email`); the rest as one message. */
export function problemsOf(error: unknown): { byField: Record<string, string>; message: string } {
  if (!(error instanceof ApiError)) return { byField: {}, message: 'Something went wrong. Please try again.' };
  if (error.status === 429) return { byField: {}, message: 'You have sent several in a short time. Please wait a few minutes and try again.' };
  const byField: Record<string, string> = {};
  for (const d of error.details) {
    const field = d.field.replace(/^\/body\//, '');
    byField[field] = byField[field] ? `${byField[field]}; ${d.message}` : d.message;
  }
  return { byField, message: error.details.length > 0 ? 'Please check what is marked below.' : error.message };
}

/** The message under a field: outside its label, so the field keeps its label as its name; linked by aria-describedby. */
export const errorText = (id: string, message: string | undefined) => (message ? html`<span class="error" id=${id}>${message}</span>` : nothing);

export interface ReporterState {
  anonymous: boolean;
  name: string;
  email: string;
  phone: string;
  /** Told by e-mail: when the work is done, or a reply to a comment. */
  byEmail: boolean;
}

export const emptyReporter = (): ReporterState => ({ anonymous: true, name: '', email: '', phone: '', byEmail: false });

/** The details sent: none when anonymous. */
export function reporterOf(state: ReporterState): Reporter | undefined {
  if (state.anonymous) return undefined;
  return { name: state.name.trim(), email: state.email.trim(), phone: state.phone.trim() };
}

/**
 * "Stay anonymous" or "give my details" (name, e-mail, phone) and whether to be told by e-mail.
 * `change` gets the new state; `errors` by field (`contact/email`).
 */
export function reporterFields(state: ReporterState, change: (next: ReporterState) => void, errors: Record<string, string>, byEmailLabel: string) {
  const set = (patch: Partial<ReporterState>) => change({ ...state, ...patch });
  const input = (name: 'name' | 'email' | 'phone', label: string, type: string, autocomplete: string) => {
    const error = errors[`contact/${name}`];
    return html`<div class="field"><label>${label}
      <input name=${name} type=${type} autocomplete=${autocomplete} .value=${state[name]} aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? `contact-${name}-error` : ''}
        @input=${(e: Event) => set({ [name]: (e.target as HTMLInputElement).value })} /></label>
      ${errorText(`contact-${name}-error`, error)}</div>`;
  };
  return html`<fieldset>
    <legend>Can we contact you?</legend>
    <label class="choice"><input type="radio" name="who" .checked=${state.anonymous} @change=${() => set({ anonymous: true, byEmail: false })} /> Stay anonymous</label>
    <label class="choice"><input type="radio" name="who" .checked=${!state.anonymous} @change=${() => set({ anonymous: false })} /> Give my contact details</label>
    ${state.anonymous
      ? html`<p class="hint">Without details we cannot tell you what happens, but you can always look your request up by its number.</p>`
      : html`${input('name', 'Your name', 'text', 'name')} ${input('email', 'E-mail', 'email', 'email')} ${input('phone', 'Phone (optional)', 'tel', 'tel')}
          <label class="choice"><input type="checkbox" name="by-email" .checked=${state.byEmail} @change=${(e: Event) => set({ byEmail: (e.target as HTMLInputElement).checked })} /> ${byEmailLabel}</label>`}
  </fieldset>`;
}
