/**
 * GraphiQL 4 leaves a few accessibility gaps that axe-core reports as serious or critical: CodeMirror's hidden
 * textareas have no label, its scroll areas cannot be reached by keyboard, and each operation tab is a role="tab"
 * element wrapping a button (nested interactive controls). This fills them in on the rendered DOM, and again
 * whenever GraphiQL re-renders, without touching its behaviour. Attributes only: never markup.
 */
const EDITOR_LABELS: [selector: string, label: string][] = [
  ['.graphiql-query-editor', 'GraphQL query'],
  ['.graphiql-response', 'Response'],
];

function set(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function labelEditors(root: HTMLElement): void {
  for (const [selector, label] of EDITOR_LABELS) {
    root.querySelectorAll(`${selector} textarea`).forEach((t) => set(t, 'aria-label', label));
  }
  // The variables and headers editors share the tool pane; GraphiQL shows one at a time, variables first.
  const tools = root.querySelectorAll('.graphiql-editor-tool .graphiql-editor');
  tools.forEach((editor, i) => {
    const label = i === 0 ? 'Variables (JSON)' : 'Request headers (JSON)';
    editor.querySelectorAll('textarea').forEach((t) => set(t, 'aria-label', label));
  });
  root.querySelectorAll('textarea:not([aria-label])').forEach((t) => set(t, 'aria-label', 'Editor'));
  root.querySelectorAll('.CodeMirror-scroll').forEach((s) => set(s, 'tabindex', '0'));
}

function fixTabs(root: HTMLElement): void {
  root.querySelectorAll('.graphiql-tab').forEach((tab) => {
    const active = tab.classList.contains('graphiql-tab-active');
    set(tab, 'role', 'presentation');
    if (tab.hasAttribute('aria-selected')) tab.removeAttribute('aria-selected');
    const button = tab.querySelector('.graphiql-tab-button');
    if (button) {
      set(button, 'role', 'tab');
      set(button, 'aria-selected', String(active));
    }
  });
}

export function improveGraphiqlA11y(root: HTMLElement): () => void {
  const apply = () => {
    labelEditors(root);
    fixTabs(root);
  };
  apply();
  const observer = new MutationObserver(apply);
  observer.observe(root, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['class', 'role', 'aria-selected'],
  });
  return () => observer.disconnect();
}
