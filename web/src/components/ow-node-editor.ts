import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError } from '../data/api.ts';
import {
  createNode,
  levelNames,
  moveNode,
  reactivateNode,
  retireNode,
  updateNode,
  type Level,
  type NodeDetail,
  type NodeSettings,
  type Question,
} from '../data/hierarchy.ts';
import { fire } from '../events.ts';
import { viewStyles } from './shared-styles.ts';
import './ow-question-builder.ts';
import './ow-question-preview.ts';

type Tri = 'inherit' | 'yes' | 'no';
const tri = (v: boolean | undefined): Tri => (v === undefined ? 'inherit' : v ? 'yes' : 'no');
const fromTri = (v: Tri): boolean | undefined => (v === 'inherit' ? undefined : v === 'yes');
/** The builder lists questions in the order the clerk sees them, so editing one never reorders them. */
const withQuestionsInOrder = (settings: NodeSettings): NodeSettings =>
  settings.questions ? { ...settings, questions: [...settings.questions].sort((a, b) => a.order - b.order) } : settings;
const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

/**
 * The form for one node of the hierarchy: name and description; a problem code's keywords, synonyms
 * and questions; the standard work order, turnaround, duplicate rule, location and public settings
 * (blank means "inherited", with what would be inherited shown). Also retire/reactivate and move.
 * In create mode (`parent` and `createLevel` set, no `node`) it makes a new node under `parent`.
 */
@customElement('ow-node-editor')
export class OwNodeEditor extends LitElement {
  static override styles = [
    viewStyles,
    css`
      :host { padding: 0; max-width: none; }
      form { max-width: none; }
      .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: 0.75rem; }
      section { border-top: 1px solid var(--ow-border); padding-top: 0.75rem; }
      h3 { font-size: 1rem; margin: 0 0 0.5rem; }
      .hint { font-weight: 400; color: var(--ow-muted); font-size: 0.8rem; }
      textarea { font: inherit; padding: 0.45rem 0.6rem; border: 1px solid var(--ow-border); border-radius: 4px; font-weight: 400; }
      .actions { display: flex; gap: 0.6rem; flex-wrap: wrap; align-items: center; }
      .columns { display: grid; grid-template-columns: 3fr 2fr; gap: 1.25rem; align-items: start; }
      .preview { background: var(--ow-surface); border: 1px solid var(--ow-border); border-radius: 4px; padding: 0.75rem; }
      .badge { font-size: 0.75rem; padding: 0.1rem 0.45rem; border-radius: 999px; background: #eee; color: var(--ow-muted); margin-left: 0.5rem; vertical-align: middle; }
    `,
  ];

  @property({ attribute: false }) node: NodeDetail | null = null;
  /** Create mode: the node to add a child under, and the child's level. */
  @property({ attribute: false }) parent: NodeDetail | null = null;
  @property({ attribute: false }) createLevel: Level | null = null;
  /** Nodes a move may target, by level: `{ provider: [{code, name}] , … }`. */
  @property({ attribute: false }) moveTargets: Partial<Record<Level, { code: string; name: string }[]>> = {};

  @state() private draft: { code: string; name: string; description: string; settings: NodeSettings } = { code: '', name: '', description: '', settings: {} };
  @state() private error: ApiError | null = null;
  @state() private offerCascade = false;

  private get level(): Level {
    return this.node?.level ?? this.createLevel ?? 'problem_code';
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('node') || changed.has('parent') || changed.has('createLevel')) {
      const n = this.node;
      this.draft = n
        ? { code: n.code, name: n.name, description: n.description, settings: withQuestionsInOrder(structuredClone(n.settings)) }
        : { code: '', name: '', description: '', settings: {} };
      this.error = null;
      this.offerCascade = false;
    }
  }

  private set(settings: NodeSettings): void {
    this.draft = { ...this.draft, settings };
  }

  /** Messages of the last error for fields under `prefix` (a path below /body). */
  private errorsUnder(prefix: string): string[] {
    return (this.error?.details ?? []).filter((d) => d.field === `/body${prefix}` || d.field.startsWith(`/body${prefix}/`)).map((d) => d.message);
  }

  private errorLine(prefix: string) {
    const messages = this.errorsUnder(prefix);
    return messages.length ? html`<span class="field-error" role="alert">${messages.join('; ')}</span>` : nothing;
  }

  private inherited(key: string, shown: string) {
    const from = this.node?.resolved?.from[key];
    return from && from !== this.node?.code ? html`<span class="hint">inherited from ${from}: ${shown}</span>` : nothing;
  }

  private async run(action: () => Promise<NodeDetail>, done: string): Promise<void> {
    this.error = null;
    try {
      const node = await action();
      this.offerCascade = false;
      // The view shows the message: after a change it may show another editor (a new node's).
      fire(this, 'ow-node-changed', { node, message: done });
    } catch (error) {
      this.error = error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', String(error));
      if (this.error.code === 'CONFLICT' && this.error.details.some((d) => d.field === '/body/cascade')) this.offerCascade = true;
    }
  }

  private save(event: SubmitEvent): void {
    event.preventDefault();
    const { code, name, description, settings } = this.draft;
    if (this.node) {
      const node = this.node;
      void this.run(() => updateNode(node.code, { version: node.version, name, description, settings }), `Saved ${node.code}.`);
    } else if (this.parent || this.createLevel === 'department') {
      const level = this.createLevel!;
      void this.run(() => createNode({ level, parentCode: this.parent?.code ?? null, code, name, description, settings }), `Created ${code}.`);
    }
  }

  private renderWork() {
    const s = this.draft.settings;
    const wo = s.standardWorkOrder ?? {};
    const resolved = this.node?.resolved?.value.standardWorkOrder;
    const setWo = (patch: Record<string, unknown>) => {
      const next = Object.fromEntries(Object.entries({ ...wo, ...patch }).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)));
      this.set({ ...s, standardWorkOrder: Object.keys(next).length ? next : undefined });
    };
    return html`<section>
      <h3>Standard work order</h3>
      <div class="grid">
        <label>Work type <input .value=${wo.workType ?? ''} placeholder=${resolved?.workType ?? ''} @change=${(e: Event) => setWo({ workType: (e.target as HTMLInputElement).value.trim() || undefined })} />
          ${this.inherited('standardWorkOrder.workType', resolved?.workType ?? '')}</label>
        <label>Priority
          <select @change=${(e: Event) => setWo({ priority: (e.target as HTMLSelectElement).value || undefined })}>
            <option value="" ?selected=${!wo.priority}>Inherited${resolved ? ` (${resolved.priority})` : ''}</option>
            ${['low', 'normal', 'high', 'urgent'].map((p) => html`<option value=${p} ?selected=${wo.priority === p}>${p}</option>`)}
          </select></label>
        ${this.level === 'problem_code'
          ? html`<label>Responsible provider (code) <input .value=${wo.provider ?? ''} placeholder=${resolved?.provider ?? ''} @change=${(e: Event) => setWo({ provider: (e.target as HTMLInputElement).value.trim().toUpperCase() || undefined })} />
              </label>${this.errorLine('/settings/standardWorkOrder/provider')}`
          : nothing}
      </div>
      <label>Tasks, one per line
        <textarea rows="3" .value=${(wo.tasks ?? []).join('\n')} placeholder=${(resolved?.tasks ?? []).join('\n')} @change=${(e: Event) => setWo({ tasks: (e.target as HTMLTextAreaElement).value.split('\n').map((t) => t.trim()).filter(Boolean) })}></textarea>
        ${this.inherited('standardWorkOrder.tasks', (resolved?.tasks ?? []).join(', '))}</label>
      ${this.errorLine('/settings/standardWorkOrder')}
    </section>`;
  }

  private renderTurnaroundAndDuplicates() {
    const s = this.draft.settings;
    const t = s.turnaround;
    const r = this.node?.resolved?.value;
    const hours = (value: string) => (value.trim() === '' ? undefined : Number(value));
    const setTurnaround = (patch: { temporaryHours?: number; permanentHours?: number }) => {
      const next = { ...t, ...patch } as { temporaryHours?: number; permanentHours?: number };
      if (next.temporaryHours === undefined) delete next.temporaryHours;
      this.set({ ...s, turnaround: next.permanentHours === undefined && next.temporaryHours === undefined ? undefined : (next as NodeSettings['turnaround']) });
    };
    const mode = s.duplicateRule === undefined ? 'inherit' : s.duplicateRule === null ? 'none' : 'rule';
    const rule = s.duplicateRule ?? { radiusMeters: 50, windowDays: 30, scope: 'code' as const, matchAttribute: null };
    const setRule = (patch: Partial<typeof rule>) => this.set({ ...s, duplicateRule: { ...rule, ...patch } });
    const shownRule = r?.duplicateRule ? `${r.duplicateRule.radiusMeters} m, ${r.duplicateRule.windowDays} days, same ${r.duplicateRule.scope}` : 'none';
    return html`<section>
        <h3>Turnaround</h3>
        <div class="grid">
          <label>Hours to a temporary fix <input type="number" min="1" .value=${t?.temporaryHours?.toString() ?? ''} @change=${(e: Event) => setTurnaround({ temporaryHours: hours((e.target as HTMLInputElement).value) })} /></label>
          <label>Hours to the permanent fix <input type="number" min="1" .value=${t?.permanentHours?.toString() ?? ''} placeholder=${r?.turnaround?.permanentHours?.toString() ?? ''} @change=${(e: Event) => setTurnaround({ permanentHours: hours((e.target as HTMLInputElement).value) })} />
            ${this.inherited('turnaround', r?.turnaround ? `${r.turnaround.permanentHours} h` : 'none')}</label>
        </div>
        ${this.errorLine('/settings/turnaround')}
      </section>
      <section>
        <h3>Duplicates</h3>
        <div class="grid">
          <label>Duplicate rule
            <select @change=${(e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              this.set({ ...s, duplicateRule: v === 'inherit' ? undefined : v === 'none' ? null : rule });
            }}>
              <option value="inherit" ?selected=${mode === 'inherit'}>Inherited</option>
              <option value="none" ?selected=${mode === 'none'}>None: every report is new work</option>
              <option value="rule" ?selected=${mode === 'rule'}>This rule</option>
            </select>
            ${mode === 'inherit' ? this.inherited('duplicateRule', shownRule) : nothing}</label>
          ${mode === 'rule'
            ? html`<label>Radius (metres) <input type="number" min="0" .value=${String(rule.radiusMeters)} @change=${(e: Event) => setRule({ radiusMeters: Number((e.target as HTMLInputElement).value) })} /></label>
                <label>Window (days) <input type="number" min="1" .value=${String(rule.windowDays)} @change=${(e: Event) => setRule({ windowDays: Number((e.target as HTMLInputElement).value) })} /></label>
                <label>Same
                  <select @change=${(e: Event) => setRule({ scope: (e.target as HTMLSelectElement).value as 'code' | 'category' })}>
                    <option value="code" ?selected=${rule.scope === 'code'}>problem code</option>
                    <option value="category" ?selected=${rule.scope === 'category'}>category</option>
                  </select></label>
                <label>Match on the answer to (question code) <input .value=${rule.matchAttribute ?? ''} @change=${(e: Event) => setRule({ matchAttribute: (e.target as HTMLInputElement).value.trim().toUpperCase() || null })} /></label>`
            : nothing}
        </div>
        ${this.errorLine('/settings/duplicateRule')}
      </section>
      <section>
        <h3>Reporting</h3>
        <div class="grid">
          ${([
            ['needsLocation', 'Needs a location', r?.needsLocation],
            ['public', 'The public may report it', r?.public],
          ] as const).map(
            ([key, label, resolved]) => html`<label>${label}
              <select @change=${(e: Event) => this.set({ ...s, [key]: fromTri((e.target as HTMLSelectElement).value as Tri) })}>
                <option value="inherit" ?selected=${tri(s[key]) === 'inherit'}>Inherited${resolved === undefined ? '' : ` (${resolved ? 'yes' : 'no'})`}</option>
                <option value="yes" ?selected=${tri(s[key]) === 'yes'}>Yes</option>
                <option value="no" ?selected=${tri(s[key]) === 'no'}>No</option>
              </select></label>`,
          )}
        </div>
      </section>`;
  }

  private renderQuestions() {
    const s = this.draft.settings;
    const questions = s.questions ?? [];
    const errors = Object.fromEntries((this.error?.details ?? []).filter((d) => d.field.startsWith('/body/settings/questions')).map((d) => [d.field.slice('/body/settings/questions'.length) || '/', d.message]));
    return html`<section>
      <h3>Questions</h3>
      <div class="columns">
        <ow-question-builder
          .questions=${questions}
          .errors=${errors}
          @ow-questions-changed=${(e: CustomEvent<{ questions: Question[] }>) => this.set({ ...s, questions: e.detail.questions })}
        ></ow-question-builder>
        <div class="preview" aria-label="Preview of the questions as the clerk sees them">
          <h3>As the clerk sees it</h3>
          <ow-question-preview .questions=${questions}></ow-question-preview>
        </div>
      </div>
    </section>`;
  }

  private renderLifecycle(node: NodeDetail) {
    const targetLevel = node.path.at(-1)?.level;
    const targets = targetLevel ? (this.moveTargets[targetLevel] ?? []) : [];
    return html`<section>
      <h3>Place and status</h3>
      <div class="actions">
        ${targetLevel
          ? html`<label>Move under
                <select id="move-target">
                  ${targets.map((t) => html`<option value=${t.code} ?selected=${t.code === node.path.at(-1)?.code}>${t.name} (${t.code})</option>`)}
                </select></label>
              <button type="button" @click=${() => {
                const parentCode = this.renderRoot.querySelector<HTMLSelectElement>('#move-target')!.value;
                void this.run(() => moveNode(node.code, { version: node.version, parentCode }), `Moved ${node.code}.`);
              }}>Move</button>`
          : nothing}
        <button type="button" ?disabled=${node.position === 0} @click=${() => void this.run(() => moveNode(node.code, { version: node.version, position: node.position - 1 }), 'Moved up.')}>Move up</button>
        <button type="button" @click=${() => void this.run(() => moveNode(node.code, { version: node.version, position: node.position + 1 }), 'Moved down.')}>Move down</button>
        ${node.status === 'active'
          ? html`<button type="button" @click=${() => void this.run(() => retireNode(node.code, node.version, false), `Retired ${node.code}.`)}>Retire</button>`
          : html`<button type="button" @click=${() => void this.run(() => reactivateNode(node.code, node.version), `Reactivated ${node.code}.`)}>Reactivate</button>`}
        ${this.offerCascade
          ? html`<button type="button" class="primary" @click=${() => void this.run(() => retireNode(node.code, node.version, true), `Retired ${node.code} and everything below it.`)}>Retire with everything below</button>`
          : nothing}
      </div>
      ${this.errorLine('/parentCode')}
    </section>`;
  }

  override render() {
    const node = this.node;
    const creating = !node;
    const level = this.level;
    const d = this.draft;

    return html`<h2>
        ${creating ? `New ${levelNames[level].toLowerCase()}${this.parent ? ` in ${this.parent.name}` : ''}` : node.name}
        ${node ? html`<span class="badge">${levelNames[node.level]} · ${node.code} · ${node.status}</span>` : nothing}
      </h2>
      ${node && node.path.length ? html`<p>${node.path.map((p) => p.name).join(' › ')}</p>` : nothing}
      ${this.error ? html`<div class="form-error" role="alert">Not saved. ${this.error.details.length ? html`<ul>${this.error.details.map((d) => html`<li>${d.field.replace('/body/', '').replaceAll('/', ' › ')}: ${d.message}</li>`)}</ul>` : this.error.message}</div>` : nothing}
      <form @submit=${this.save} novalidate>
        <div class="grid">
          ${creating
            ? html`<label>Code <input name="code" .value=${d.code} placeholder="STREET_LIGHT_OUT" @change=${(e: Event) => (this.draft = { ...d, code: (e.target as HTMLInputElement).value.trim().toUpperCase() })} />
                </label>${this.errorLine('/code')}`
            : nothing}
          <label>Name <input name="name" .value=${d.name} @change=${(e: Event) => (this.draft = { ...d, name: (e.target as HTMLInputElement).value })} /></label>${this.errorLine('/name')}
        </div>
        <label>Description <textarea rows="2" .value=${d.description} @change=${(e: Event) => (this.draft = { ...d, description: (e.target as HTMLTextAreaElement).value })}></textarea></label>${this.errorLine('/description')}
        ${level === 'problem_code'
          ? html`<div class="grid">
                <label>Keywords, comma-separated <input name="keywords" .value=${(d.settings.keywords ?? []).join(', ')} @change=${(e: Event) => this.set({ ...d.settings, keywords: list((e.target as HTMLInputElement).value) })} /></label>${this.errorLine('/settings/keywords')}
                <label>Synonyms, comma-separated <input name="synonyms" .value=${(d.settings.synonyms ?? []).join(', ')} @change=${(e: Event) => this.set({ ...d.settings, synonyms: list((e.target as HTMLInputElement).value) })} /></label>${this.errorLine('/settings/synonyms')}
              </div>
              ${this.renderQuestions()}`
          : html`<p class="hint">The settings below are defaults: every level beneath inherits them unless it sets its own.</p>`}
        ${this.renderWork()} ${this.renderTurnaroundAndDuplicates()}
        <div class="actions"><button class="primary" type="submit">${creating ? 'Create' : 'Save changes'}</button></div>
      </form>
      ${node ? this.renderLifecycle(node) : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-node-editor': OwNodeEditor;
  }
}
