import { Router, type RouterLocation } from '@vaadin/router';
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { navAreas, routes } from '../routes.ts';

/** The app shell: the header with the work areas, and the outlet the router renders views into. */
@customElement('ow-app')
export class OwApp extends LitElement {
  static override styles = css`
    :host { display: flex; flex-direction: column; min-height: 100vh; }
    header { display: flex; align-items: center; gap: 2rem; padding: 0 1.5rem; height: 3.25rem;
      background: var(--ow-accent); color: var(--ow-accent-text); }
    .brand { font-weight: 700; font-size: 1.1rem; color: inherit; text-decoration: none; letter-spacing: 0.01em; }
    nav ul { display: flex; gap: 0.25rem; list-style: none; margin: 0; padding: 0; }
    nav a { color: inherit; text-decoration: none; padding: 0.45rem 0.8rem; border-radius: 4px; display: block; }
    nav a:hover { background: rgb(255 255 255 / 0.15); }
    nav a[aria-current='page'] { background: rgb(255 255 255 / 0.25); font-weight: 600; }
    a:focus-visible { outline: 3px solid var(--ow-focus); outline-offset: 1px; }
    main { flex: 1; }
  `;

  @state() private pathname = window.location.pathname;

  private router?: Router;

  private readonly onLocationChanged = (event: CustomEvent<{ location: RouterLocation }>) => {
    this.pathname = event.detail.location.pathname;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('vaadin-router-location-changed', this.onLocationChanged);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('vaadin-router-location-changed', this.onLocationChanged);
    super.disconnectedCallback();
  }

  protected override firstUpdated(): void {
    this.router = new Router(this.renderRoot.querySelector('main'));
    void this.router.setRoutes(routes);
  }

  override render() {
    return html`
      <header>
        <a class="brand" href="/">OneWindow 311</a>
        <nav aria-label="Work areas">
          <ul>
            ${navAreas.map(
              (area) => html`<li>
                <a href=${area.path} aria-current=${this.pathname.startsWith(area.path) ? 'page' : 'false'}>${area.label}</a>
              </li>`,
            )}
          </ul>
        </nav>
      </header>
      <main id="outlet"></main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-app': OwApp;
  }
}
