// The page's fixed structure: the toolbar on top, the canvas (with its own scrollbar for the
// rows) or the table in the middle, the detail pane and the status line at the bottom, and the
// screen-reader mirror. Built once with DOM calls; no markup strings.

export interface TimelineDom {
  readonly toolbarSlot: HTMLElement;
  readonly main: HTMLElement;
  readonly canvasBox: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  /** A native scrollbar for the rows: its content is as tall as the rows. */
  readonly scrollbar: HTMLElement;
  readonly scrollContent: HTMLElement;
  readonly tooltip: HTMLElement;
  readonly tableSlot: HTMLElement;
  readonly detailSlot: HTMLElement;
  readonly status: HTMLElement;
  readonly empty: HTMLElement;
  readonly a11ySlot: HTMLElement;
}

function div(className: string): HTMLDivElement {
  const d = document.createElement('div');
  d.className = className;
  return d;
}

export function buildTimelineDom(root: HTMLElement): TimelineDom {
  const toolbarSlot = div('toolbar-slot');
  const main = div('main');
  const canvasBox = div('canvas-box');
  const canvas = document.createElement('canvas');
  canvas.className = 'timeline-canvas';
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'application');
  canvas.setAttribute('aria-roledescription', 'timeline');
  const scrollbar = div('vscroll');
  scrollbar.setAttribute('aria-hidden', 'true');
  const scrollContent = div('vscroll-content');
  scrollbar.append(scrollContent);
  const tooltip = div('tooltip');
  tooltip.hidden = true;
  const empty = div('empty');
  empty.textContent = 'No trace yet. Apply a manifest to the cluster to see what it does with it.';
  canvasBox.append(canvas, scrollbar, tooltip, empty);
  const tableSlot = div('table-slot');
  tableSlot.hidden = true;
  main.append(canvasBox, tableSlot);
  const detailSlot = div('detail-slot');
  const status = div('status');
  status.id = 'podtrace-status';
  status.setAttribute('role', 'status');
  const a11ySlot = div('a11y');
  root.replaceChildren(toolbarSlot, main, detailSlot, status, a11ySlot);
  canvas.setAttribute('aria-describedby', status.id);
  return {
    toolbarSlot,
    main,
    canvasBox,
    canvas,
    scrollbar,
    scrollContent,
    tooltip,
    tableSlot,
    detailSlot,
    status,
    empty,
    a11ySlot,
  };
}
