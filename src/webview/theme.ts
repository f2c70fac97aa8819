// The canvas's colours, read from VS Code's theme variables (the report sets the same
// variables for light and dark itself). Read again when the host says the theme changed and
// when the body's class changes, which is how VS Code switches themes inside a webview.
import { lanes } from '../protocol/traceColumns';

export interface Theme {
  readonly background: string;
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly rowAlternate: string;
  readonly section: string;
  readonly warning: string;
  readonly error: string;
  readonly focus: string;
  /** A pod that became ready. */
  readonly ok: string;
  readonly selection: string;
  /** Behind the events at the YAML cursor's line. */
  readonly highlight: string;
  /** Behind the rows of the objects of the cursor's YAML document. */
  readonly rowHighlight: string;
  /** One colour per lane, in lane order. */
  readonly lanes: readonly string[];
  /** The colours of a pod's steps, phase by phase. */
  readonly steps: readonly string[];
  readonly fontFamily: string;
  readonly fontSize: number;
  /** Whether the theme is dark (for the alpha of fills). */
  readonly dark: boolean;
  readonly highContrast: boolean;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v === '' ? fallback : v;
}

/** The lane colours: the control plane blue, controllers violet, the node's work green, probes orange, routing blue. */
const laneChart: Record<(typeof lanes)[number], string> = {
  apiserver: 'blue',
  etcd: 'blue',
  'controller-manager': 'purple',
  scheduler: 'purple',
  kubelet: 'green',
  cni: 'green',
  cri: 'green',
  csi: 'green',
  probe: 'orange',
  endpoints: 'blue',
  'kube-proxy': 'purple',
  coredns: 'purple',
  ingress: 'purple',
  mesh: 'purple',
  app: 'foreground',
};

export function readTheme(body: HTMLElement): Theme {
  const style = getComputedStyle(body);
  const dark =
    body.classList.contains('vscode-dark') ||
    body.classList.contains('vscode-high-contrast') ||
    (!body.classList.contains('vscode-light') &&
      !body.classList.contains('vscode-high-contrast-light') &&
      prefersDark());
  const highContrast =
    body.classList.contains('vscode-high-contrast') || body.classList.contains('vscode-high-contrast-light');
  const foreground = cssVar(style, '--vscode-foreground', dark ? '#cccccc' : '#3b3b3b');
  const charts: Record<string, string> = {
    blue: cssVar(style, '--vscode-charts-blue', dark ? '#3794ff' : '#1a85ff'),
    green: cssVar(style, '--vscode-charts-green', dark ? '#89d185' : '#388a34'),
    purple: cssVar(style, '--vscode-charts-purple', dark ? '#b180d7' : '#652d90'),
    orange: cssVar(style, '--vscode-charts-orange', '#d18616'),
    foreground: cssVar(style, '--vscode-charts-foreground', foreground),
  };
  const fontSize = Number.parseFloat(cssVar(style, '--vscode-font-size', '13px'));
  return {
    background: cssVar(style, '--vscode-editor-background', dark ? '#1f1f1f' : '#ffffff'),
    foreground,
    muted: cssVar(style, '--vscode-descriptionForeground', foreground),
    grid: cssVar(style, '--vscode-charts-lines', dark ? 'rgba(204, 204, 204, 0.5)' : 'rgba(59, 59, 59, 0.5)'),
    // High contrast themes draw rows plain: stripes would blur their strict contrast.
    rowAlternate: highContrast
      ? 'transparent'
      : cssVar(style, '--vscode-list-hoverBackground', dark ? '#2a2d2e' : '#f2f2f2'),
    section: cssVar(style, '--vscode-sideBar-background', dark ? '#181818' : '#f8f8f8'),
    warning: cssVar(style, '--vscode-editorWarning-foreground', dark ? '#cca700' : '#bf8803'),
    error: cssVar(style, '--vscode-editorError-foreground', dark ? '#f14c4c' : '#e51400'),
    focus: cssVar(style, '--vscode-focusBorder', dark ? '#0078d4' : '#005fb8'),
    ok: charts.green,
    selection: cssVar(style, '--vscode-editor-selectionBackground', dark ? '#264f78' : '#add6ff'),
    highlight: cssVar(style, '--vscode-editor-findMatchHighlightBackground', 'rgba(234, 92, 0, 0.33)'),
    rowHighlight: cssVar(
      style,
      '--vscode-editor-rangeHighlightBackground',
      dark ? 'rgba(255, 255, 255, 0.06)' : 'rgba(253, 255, 0, 0.2)',
    ),
    lanes: lanes.map((l) => charts[laneChart[l]]),
    steps: [
      charts.foreground,
      charts.purple,
      charts.green,
      charts.blue,
      charts.green,
      charts.orange,
      charts.blue,
      charts.purple,
    ],
    fontFamily: cssVar(style, '--vscode-font-family', 'system-ui, sans-serif'),
    fontSize: Number.isFinite(fontSize) && fontSize > 0 ? fontSize : 13,
    dark,
    highContrast,
  };
}

function prefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

/**
 * Calls `onChange` when VS Code changes the theme: it sets the body's class and
 * `data-vscode-theme-*` attributes, and the colour variables in the root element's style (a
 * theme of the same kind changes only those).
 */
export function watchTheme(body: HTMLElement, onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(body, {
    attributes: true,
    attributeFilter: ['class', 'data-vscode-theme-kind', 'data-vscode-theme-id'],
  });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  return () => observer.disconnect();
}
