import { css } from 'lit';

/** Typography, forms, tables and focus rules every view shares. */
export const viewStyles = css`
  :host { display: block; padding: 1.5rem 2rem; max-width: 72rem; }
  h1 { font-size: 1.5rem; margin: 0 0 0.75rem; }
  h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
  p { line-height: 1.5; color: var(--ow-muted); max-width: 60ch; }
  a { color: var(--ow-accent); }
  :focus-visible { outline: 3px solid var(--ow-focus); outline-offset: 2px; }
  form { display: grid; gap: 0.9rem; max-width: 26rem; }
  label { display: grid; gap: 0.25rem; font-weight: 600; font-size: 0.9rem; }
  input, select { font: inherit; padding: 0.45rem 0.6rem; border: 1px solid var(--ow-border); border-radius: 4px;
    background: var(--ow-surface); font-weight: 400; }
  input[aria-invalid='true'], select[aria-invalid='true'] { border-color: var(--ow-danger); }
  .field { display: grid; gap: 0.25rem; }
  .field-error { color: var(--ow-danger); font-weight: 400; font-size: 0.85rem; }
  .form-error { color: var(--ow-danger); background: #fdecea; border: 1px solid #f5c2bd; border-radius: 4px; padding: 0.5rem 0.75rem; }
  .notice { color: #0f5132; background: #e8f5ee; border: 1px solid #b7e0c7; border-radius: 4px; padding: 0.5rem 0.75rem; }
  button { font: inherit; padding: 0.45rem 0.9rem; border-radius: 4px; border: 1px solid var(--ow-border);
    background: var(--ow-surface); cursor: pointer; }
  button.primary { background: var(--ow-accent); color: var(--ow-accent-text); border-color: var(--ow-accent); font-weight: 600; }
  button.link { border: 0; background: none; color: var(--ow-accent); text-decoration: underline; padding: 0; }
  button:disabled { opacity: 0.6; cursor: default; }
  table { border-collapse: collapse; width: 100%; background: var(--ow-surface); }
  th, td { text-align: left; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--ow-border); vertical-align: middle; }
  th { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--ow-muted); }
`;
