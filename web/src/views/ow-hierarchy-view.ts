import { Task } from '@lit/task';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import '../components/ow-hierarchy-tree.ts';
import type { OwHierarchyTree } from '../components/ow-hierarchy-tree.ts';
import '../components/ow-node-editor.ts';
import '../components/ow-problem-code-search.ts';
import { viewStyles } from '../components/shared-styles.ts';
import { childLevel, getNode, getTree, levelNames, nodeHistory, type Level, type NodeDetail, type TreeNode } from '../data/hierarchy.ts';

/** The administrator's hierarchy editor: browse or search the tree, edit any node, add, move, retire. */
@customElement('ow-hierarchy-view')
export class OwHierarchyView extends LitElement {
  static override styles = [
    viewStyles,
    css`
      :host { max-width: none; }
      .layout { display: grid; grid-template-columns: minmax(18rem, 24rem) 1fr; gap: 1.5rem; align-items: start; }
      aside { display: grid; gap: 0.75rem; position: sticky; top: 0.5rem; }
      ow-hierarchy-tree { max-height: calc(100vh - 14rem); border: 1px solid var(--ow-border); border-radius: 4px; background: var(--ow-surface); padding: 0.3rem; }
      label.check { display: flex; gap: 0.4rem; align-items: center; font-weight: 400; }
      .toolbar { display: flex; gap: 0.5rem; flex-wrap: wrap; }
      ol { padding-left: 1.2rem; font-size: 0.9rem; }
      code { font-size: 0.85rem; }
    `,
  ];

  @state() private includeRetired = false;
  @state() private selected: string | null = null;
  @state() private creating: { level: Level; parent: NodeDetail | null } | null = null;
  @state() private notice = '';
  @query('ow-hierarchy-tree') private treeElement?: OwHierarchyTree;

  private readonly tree = new Task(this, {
    task: ([includeRetired], { signal }) => getTree(includeRetired, signal),
    args: () => [this.includeRetired] as const,
  });

  private readonly node = new Task(this, {
    task: ([code], { signal }) => (code ? getNode(code, signal) : Promise.resolve(null)),
    args: () => [this.selected] as const,
  });

  private readonly history = new Task(this, {
    task: ([code], { signal }) => (code ? nodeHistory(code, signal) : Promise.resolve(null)),
    args: () => [this.selected] as const,
  });

  private select(code: string): void {
    this.creating = null;
    this.notice = '';
    this.selected = code;
  }

  private async jumpTo(code: string): Promise<void> {
    this.select(code);
    const node = await getNode(code);
    this.treeElement?.reveal(code, node.path.map((p) => p.code));
  }

  private onChanged(node: NodeDetail, message: string): void {
    this.notice = message;
    this.creating = null;
    this.selected = node.code;
    void this.tree.run();
    void this.node.run();
    void this.history.run();
    void this.updateComplete.then(() => this.treeElement?.reveal(node.code, node.path.map((p) => p.code)));
  }

  /** Active nodes of each level, the places a move can go. */
  private moveTargets(nodes: TreeNode[]): Partial<Record<Level, { code: string; name: string }[]>> {
    const targets: Partial<Record<Level, { code: string; name: string }[]>> = {};
    const walk = (list: TreeNode[]) =>
      list.forEach((n) => {
        if (n.status === 'active') (targets[n.level] ??= []).push({ code: n.code, name: n.name });
        walk(n.children);
      });
    walk(nodes);
    return targets;
  }

  private renderEditor(nodes: TreeNode[]) {
    if (this.creating) {
      return html`<ow-node-editor
        .parent=${this.creating.parent}
        .createLevel=${this.creating.level}
        @ow-node-changed=${(e: CustomEvent<{ node: NodeDetail; message: string }>) => this.onChanged(e.detail.node, e.detail.message)}
      ></ow-node-editor>`;
    }
    // While a node reloads after a change, the last one stays on screen rather than a "Loading…" flash.
    const pending = () => (this.node.value ? renderNode(this.node.value) : html`<p>Loading…</p>`);
    const renderNode = (node: NodeDetail | null) => {
        if (!node) return html`<p>Choose a department, provider, category or problem code in the tree, or find a code by name.</p>`;
        const child = childLevel[node.level];
        return html`<div class="toolbar">
            ${child && node.status === 'active'
              ? html`<button type="button" @click=${() => (this.creating = { level: child, parent: node })}>Add ${levelNames[child].toLowerCase()} here</button>`
              : nothing}
          </div>
          <ow-node-editor .node=${node} .moveTargets=${this.moveTargets(nodes)} @ow-node-changed=${(e: CustomEvent<{ node: NodeDetail; message: string }>) => this.onChanged(e.detail.node, e.detail.message)}></ow-node-editor>
          <h2>Change history</h2>
          ${this.history.render({
            complete: (history) =>
              history && history.items.length
                ? html`<ol>
                    ${history.items.map(
                      (h) => html`<li>${new Date(h.at).toLocaleString()} — ${h.actorLabel}: <code>${h.action}</code>${h.changes ? ` (${Object.keys(h.changes).join(', ')})` : ''}</li>`,
                    )}
                  </ol>`
                : html`<p>No changes recorded.</p>`,
          })}`;
    };
    return this.node.render({
      pending,
      error: (error) => html`<div class="form-error" role="alert">${error instanceof Error ? error.message : String(error)}</div>`,
      complete: renderNode,
    });
  }

  private renderTree(nodes: TreeNode[]) {
    return html`<ow-hierarchy-tree .nodes=${nodes} .selected=${this.selected} @ow-node-selected=${(e: CustomEvent<{ code: string }>) => this.select(e.detail.code)}></ow-hierarchy-tree>`;
  }

  override render() {
    return html`<h1>Problem-code hierarchy</h1>
      <div class="layout">
        <aside>
          <ow-problem-code-search
            label="Find a problem code"
            placeholder="name, keyword, synonym or code"
            @ow-problem-code-selected=${(e: CustomEvent<{ code: string }>) => void this.jumpTo(e.detail.code)}
          ></ow-problem-code-search>
          <div class="toolbar">
            <label class="check"><input type="checkbox" .checked=${this.includeRetired} @change=${(e: Event) => (this.includeRetired = (e.target as HTMLInputElement).checked)} /> Show retired</label>
            <button type="button" @click=${() => (this.creating = { level: 'department', parent: null })}>Add department</button>
          </div>
          ${this.tree.render({
            // The tree stays (with its open branches) while it reloads after a change.
            pending: () => (this.tree.value ? this.renderTree(this.tree.value) : html`<p>Loading…</p>`),
            error: (error) => html`<div class="form-error" role="alert">${error instanceof Error ? error.message : String(error)}</div>`,
            complete: (nodes) => this.renderTree(nodes),
          })}
        </aside>
        <div>
          ${this.notice ? html`<div class="notice" role="status">${this.notice}</div>` : nothing}
          ${this.renderEditor(this.tree.value ?? [])}
        </div>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-hierarchy-view': OwHierarchyView;
  }
}
