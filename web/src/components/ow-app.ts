import { Router, type RouterLocation } from '@vaadin/router';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { currentUser, forgetSession, rememberDestination, roleAllows, signOut, type User } from '../data/session.ts';
import '../events.ts';
import { navAreas, routes } from '../routes.ts';

/** The app shell: the header with the areas the user may use, who is signed in, and the router outlet. */
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
    .user { margin-left: auto; display: flex; align-items: center; gap: 0.75rem; font-size: 0.9rem; }
    .user a { color: inherit; }
    .role { opacity: 0.85; text-transform: capitalize; }
    button { font: inherit; color: inherit; background: transparent; border: 1px solid rgb(255 255 255 / 0.6);
      border-radius: 4px; padding: 0.3rem 0.7rem; cursor: pointer; }
    button:hover { background: rgb(255 255 255 / 0.15); }
    a:focus-visible, button:focus-visible { outline: 3px solid var(--ow-focus); outline-offset: 1px; }
    main { flex: 1; }
  `;

  @state() private pathname = window.location.pathname;
  @state() private user: User | null = null;

  private readonly onLocationChanged = (event: CustomEvent<{ location: RouterLocation }>) => {
    this.pathname = event.detail.location.pathname;
  };
  private readonly onSessionChanged = (event: CustomEvent<{ user: User | null }>) => {
    this.user = event.detail.user;
  };
  private readonly onSignedOut = () => {
    // The session ended elsewhere (expired, revoked): go to sign-in and come back here afterwards.
    if (!this.user) return;
    forgetSession();
    rememberDestination(window.location.pathname + window.location.search);
    Router.go('/login');
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('vaadin-router-location-changed', this.onLocationChanged);
    window.addEventListener('ow-session-changed', this.onSessionChanged);
    window.addEventListener('ow-signed-out', this.onSignedOut);
    void currentUser().catch(() => undefined);
  }

  override disconnectedCallback(): void {
    window.removeEventListener('vaadin-router-location-changed', this.onLocationChanged);
    window.removeEventListener('ow-session-changed', this.onSessionChanged);
    window.removeEventListener('ow-signed-out', this.onSignedOut);
    super.disconnectedCallback();
  }

  protected override firstUpdated(): void {
    const router = new Router(this.renderRoot.querySelector('main'));
    void router.setRoutes(routes);
  }

  private async signOut(): Promise<void> {
    await signOut().catch(() => undefined);
    Router.go('/login');
  }

  override render() {
    const user = this.user;
    const areas = navAreas.filter((area) => area.roles === null || (user && roleAllows(user.role, area.roles)));
    return html`
      <header>
        <a class="brand" href="/">OneWindow 311</a>
        <nav aria-label="Work areas">
          <ul>
            ${areas.map(
              (area) => html`<li>
                <a href=${area.path} aria-current=${this.pathname.startsWith(area.path) ? 'page' : 'false'}>${area.label}</a>
              </li>`,
            )}
          </ul>
        </nav>
        ${user
          ? html`<div class="user">
              <span><a href="/account" title="Your account">${user.displayName}</a> · <span class="role">${user.role}</span></span>
              <button type="button" @click=${this.signOut}>Sign out</button>
            </div>`
          : nothing}
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
