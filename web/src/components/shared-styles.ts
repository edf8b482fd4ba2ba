import { css } from 'lit';

/** Typography and focus rules every view shares. */
export const viewStyles = css`
  :host { display: block; padding: 1.5rem 2rem; max-width: 72rem; }
  h1 { font-size: 1.5rem; margin: 0 0 0.75rem; }
  p { line-height: 1.5; color: var(--ow-muted); max-width: 60ch; }
  a { color: var(--ow-accent); }
  :focus-visible { outline: 3px solid var(--ow-focus); outline-offset: 2px; }
`;
