import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { TreeNode } from '../data/hierarchy.ts';
import { fire } from '../events.ts';

interface Visible {
  node: TreeNode;
  depth: number;
  parent: string | null;
}

/**
 * The hierarchy as an ARIA tree: ↑/↓ move, → opens (or goes to the first child), ← closes (or goes
 * to the parent), Home/End, Enter or Space chooses. Fires `ow-node-selected`.
 */
@customElement('ow-hierarchy-tree')
export class OwHierarchyTree extends LitElement {
  static override styles = css`
    :host { display: block; overflow: auto; }
    ul { list-style: none; margin: 0; padding: 0; }
    li { padding: 0.2rem 0.4rem; border-radius: 3px; cursor: pointer; white-space: nowrap; line-height: 1.5; }
    li:focus-visible { outline: 3px solid var(--ow-focus); outline-offset: -2px; }
    li[aria-selected='true'] { background: #dbe9f7; font-weight: 600; }
    .toggle { display: inline-block; width: 1.1rem; color: var(--ow-muted); }
    li[aria-level='2'] { padding-left: 1.4rem; }
    li[aria-level='3'] { padding-left: 2.6rem; }
    li[aria-level='4'] { padding-left: 3.8rem; }
    .count { color: var(--ow-muted); font-size: 0.8rem; margin-left: 0.35rem; }
    .retired { color: var(--ow-muted); text-decoration: line-through; }
  `;

  @property({ attribute: false }) nodes: TreeNode[] = [];
  @property() selected: string | null = null;
  @state() private expanded = new Set<string>();
  @state() private focused: string | null = null;

  /** Opens the branches down to `code`, so it can be seen, and focuses it. */
  reveal(code: string, path: string[]): void {
    this.expanded = new Set([...this.expanded, ...path]);
    this.focused = code;
    void this.updateComplete.then(() => this.focusItem(code));
  }

  private visible(): Visible[] {
    const out: Visible[] = [];
    const walk = (nodes: TreeNode[], depth: number, parent: string | null) => {
      for (const node of nodes) {
        out.push({ node, depth, parent });
        if (this.expanded.has(node.code)) walk(node.children, depth + 1, node.code);
      }
    };
    walk(this.nodes, 1, null);
    return out;
  }

  private focusItem(code: string): void {
    this.focused = code;
    const item = this.renderRoot.querySelector<HTMLElement>(`[data-code="${CSS.escape(code)}"]`);
    item?.focus();
    item?.scrollIntoView({ block: 'nearest' });
  }

  private toggle(code: string, open?: boolean): void {
    const next = new Set(this.expanded);
    if (open ?? !next.has(code)) next.add(code);
    else next.delete(code);
    this.expanded = next;
  }

  private choose(code: string): void {
    this.focused = code;
    fire(this, 'ow-node-selected', { code });
  }

  private onKeydown(event: KeyboardEvent, item: Visible, items: Visible[]): void {
    const index = items.indexOf(item);
    const go = (target: Visible | undefined) => {
      if (!target) return;
      event.preventDefault();
      this.focusItem(target.node.code);
    };
    switch (event.key) {
      case 'ArrowDown':
        return go(items[index + 1]);
      case 'ArrowUp':
        return go(items[index - 1]);
      case 'Home':
        return go(items[0]);
      case 'End':
        return go(items.at(-1));
      case 'ArrowRight':
        event.preventDefault();
        if (item.node.children.length === 0) return;
        if (!this.expanded.has(item.node.code)) this.toggle(item.node.code, true);
        else void this.updateComplete.then(() => this.focusItem(item.node.children[0]!.code));
        return;
      case 'ArrowLeft':
        event.preventDefault();
        if (this.expanded.has(item.node.code)) this.toggle(item.node.code, false);
        else if (item.parent) this.focusItem(item.parent);
        return;
      case 'Enter':
      case ' ':
        event.preventDefault();
        this.choose(item.node.code);
        return;
    }
  }

  override render() {
    const items = this.visible();
    const tabbable = this.focused && items.some((i) => i.node.code === this.focused) ? this.focused : (this.selected ?? items[0]?.node.code);
    return html`<ul role="tree" aria-label="Departments, providers, categories and problem codes">
      ${items.map((item) => {
        const { node, depth } = item;
        const branch = node.children.length > 0;
        const open = this.expanded.has(node.code);
        return html`<li
          role="treeitem"
          data-code=${node.code}
          aria-level=${depth}
          aria-expanded=${branch ? (open ? 'true' : 'false') : nothing}
          aria-selected=${node.code === this.selected ? 'true' : 'false'}
          tabindex=${node.code === tabbable ? 0 : -1}
          @click=${() => {
            if (branch) this.toggle(node.code);
            this.choose(node.code);
          }}
          @keydown=${(e: KeyboardEvent) => this.onKeydown(e, item, items)}
        >
          <span class="toggle" aria-hidden="true">${branch ? (open ? '▾' : '▸') : ''}</span><span
            class=${node.status === 'retired' ? 'retired' : ''}
            >${node.name}</span
          >${node.level !== 'problem_code' ? html`<span class="count" aria-hidden="true">${node.activeProblemCodes}</span>` : nothing}
        </li>`;
      })}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ow-hierarchy-tree': OwHierarchyTree;
  }
}
