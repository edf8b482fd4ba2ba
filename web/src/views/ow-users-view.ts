import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { field, formValues } from '../components/form-field.ts';
import { viewStyles } from '../components/shared-styles.ts';
import { ApiError } from '../data/api.ts';
import type { Role, User } from '../data/session.ts';
import { createUser, listUsers, resetPassword, updateUser } from '../data/users.ts';

const roleNames: Record<Role, string> = { clerk: 'Clerk', dispatcher: 'Dispatcher', admin: 'Administrator' };

/** Administrators list, create, re-role, disable/enable users and reset their passwords. */
@customElement('ow-users-view')
export class OwUsersView extends LitElement {
  static override styles = [
    viewStyles,
    css`
      .toolbar { display: flex; gap: 0.75rem; align-items: end; margin-bottom: 1rem; }
      .toolbar label { font-weight: 400; }
      .inactive td { color: var(--ow-muted); }
      .actions { display: flex; gap: 0.5rem; flex-wrap: wrap; }
      .reset { display: flex; gap: 0.5rem; align-items: center; }
      details { margin-top: 1.5rem; }
      summary { cursor: pointer; font-weight: 600; }
      caption { text-align: left; color: var(--ow-muted); padding: 0.25rem 0; }
    `,
  ];

  @state() private search = '';
  @state() private message: { kind: 'notice' | 'form-error'; text: string } | null = null;
  @state() private createError: ApiError | null = null;
  @state() private resetting: number | null = null;

  private readonly users = new Task(this, {
    task: ([q], { signal }) => listUsers({ q, limit: 200 }, signal),
    args: () => [this.search] as const,
  });

  private async act(action: () => Promise<unknown>, success: string): Promise<void> {
    this.message = null;
    try {
      await action();
      this.message = { kind: 'notice', text: success };
    } catch (error) {
      this.message = { kind: 'form-error', text: error instanceof ApiError ? error.summary : String(error) };
    }
    void this.users.run();
  }

  private async create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const v = formValues(form);
    this.createError = null;
    try {
      const user = await createUser({ username: v.username ?? '', displayName: v.displayName ?? '', email: v.email ?? '', role: (v.role ?? 'clerk') as Role, password: v.password ?? '' });
      form.reset();
      this.message = { kind: 'notice', text: `Created ${user.username}.` };
      void this.users.run();
    } catch (error) {
      this.createError = error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', String(error));
    }
  }

  private renderRow(user: User) {
    return html`<tr class=${user.active ? '' : 'inactive'}>
      <td>${user.username}</td>
      <td>${user.displayName}</td>
      <td>${user.email}</td>
      <td>
        <select
          aria-label="Role of ${user.username}"
          .value=${user.role}
          @change=${(e: Event) => {
            const role = (e.target as HTMLSelectElement).value as Role;
            void this.act(() => updateUser(user.id, { version: user.version, role }), `${user.username} is now ${roleNames[role].toLowerCase()}.`);
          }}
        >
          ${Object.entries(roleNames).map(([value, name]) => html`<option value=${value} ?selected=${value === user.role}>${name}</option>`)}
        </select>
      </td>
      <td>${user.active ? 'Active' : 'Disabled'}</td>
      <td>
        ${this.resetting === user.id
          ? html`<form
              class="reset"
              @submit=${(e: SubmitEvent) => {
                e.preventDefault();
                const password = formValues(e.target as HTMLFormElement).password ?? '';
                this.resetting = null;
                void this.act(() => resetPassword(user.id, password), `New password set for ${user.username}; their sessions were ended.`);
              }}
            >
              <input name="password" type="password" autocomplete="new-password" aria-label="New password for ${user.username}" required autofocus />
              <button type="submit">Set</button>
              <button type="button" @click=${() => (this.resetting = null)}>Cancel</button>
            </form>`
          : html`<div class="actions">
              <button
                type="button"
                @click=${() =>
                  void this.act(
                    () => updateUser(user.id, { version: user.version, active: !user.active }),
                    `${user.username} is ${user.active ? 'disabled and signed out' : 'enabled'}.`,
                  )}
              >
                ${user.active ? 'Disable' : 'Enable'}
              </button>
              <button type="button" @click=${() => (this.resetting = user.id)}>Reset password…</button>
            </div>`}
      </td>
    </tr>`;
  }

  override render() {
    const e = this.createError;
    return html`<h1>Users</h1>
      ${this.message ? html`<div class=${this.message.kind} role=${this.message.kind === 'notice' ? 'status' : 'alert'}>${this.message.text}</div>` : nothing}
      <div class="toolbar">
        <label>Find <input type="search" .value=${this.search} @input=${(ev: Event) => (this.search = (ev.target as HTMLInputElement).value)} placeholder="name, username or e-mail" /></label>
      </div>
      ${this.users.render({
        pending: () => html`<p>Loading…</p>`,
        error: (error) => html`<div class="form-error" role="alert">${error instanceof Error ? error.message : String(error)}</div>`,
        complete: (list) => html`<table>
          <caption>${list.total} users</caption>
          <thead><tr><th>Username</th><th>Name</th><th>E-mail</th><th>Role</th><th>Status</th><th>Actions</th></tr></thead>
          <tbody>${list.items.map((u) => this.renderRow(u))}</tbody>
        </table>`,
      })}
      <details ?open=${e !== null}>
        <summary>New user</summary>
        <form @submit=${this.create} novalidate>
          ${e && !e.details.length ? html`<div class="form-error" role="alert">${e.message}</div>` : nothing}
          ${field({ label: 'Username', name: 'username', autocomplete: 'off', required: true, error: e?.fieldMessage('username') })}
          ${field({ label: 'Full name', name: 'displayName', required: true, error: e?.fieldMessage('displayName') })}
          ${field({ label: 'E-mail', name: 'email', type: 'email', required: true, error: e?.fieldMessage('email') })}
          <label>Role
            <select name="role">${Object.entries(roleNames).map(([value, name]) => html`<option value=${value}>${name}</option>`)}</select>
          </label>
          ${field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'new-password', required: true, error: e?.fieldMessage('password') })}
          <div><button class="primary" type="submit">Create user</button></div>
        </form>
      </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-users-view': OwUsersView;
  }
}
