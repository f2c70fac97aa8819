// The toolbar and the filter bar: zoom and fit, follow live with Skip to end and Cancel while a
// trace streams, the view mode, the phase bars' legend, export; then the filters (free text,
// object, severity, lanes).
// The controls come from ./controls, the one module that knows the UI toolkit.
import { exportFormats, type ExportFormat, type TimelineFilters } from '../protocol/messages';
import { lanes, type Lane } from '../protocol/traceColumns';
import {
  button,
  checkbox,
  divider,
  dropdown,
  textField,
  type CheckboxHandle,
  type DropdownHandle,
  type TextFieldHandle,
} from './controls';
import type { ViewMode } from './viewState';

export interface ToolbarActions {
  fit(): void;
  zoom(factor: number): void;
  setFollow(on: boolean): void;
  runControl(action: 'skipToEnd' | 'cancel'): void;
  setMode(mode: ViewMode): void;
  toggleLegend(): void;
  exportAs(format: ExportFormat): void;
  filtersChanged(filters: TimelineFilters): void;
}

const exportLabels: Record<ExportFormat, string> = {
  html: 'Report (HTML)',
  'trace-json': 'Trace JSON',
  perfetto: 'Perfetto JSON',
  otlp: 'OTLP JSON',
};

/** Keystrokes in the text filters settle for this long before the filter runs. */
const typingDelayMs = 150;

function span(className: string, text = ''): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  return s;
}

export class Toolbar {
  readonly element = document.createElement('header');
  private readonly title = document.createElement('h1');
  private readonly meta = span('meta');
  private readonly follow: CheckboxHandle;
  private readonly liveControls = span('live-controls');
  private readonly exportControls = span('export-controls');
  private readonly modeButton: HTMLElement;
  private readonly legendButton: HTMLElement;
  private readonly text: TextFieldHandle;
  private readonly object: TextFieldHandle;
  private readonly severity: DropdownHandle<TimelineFilters['severity']>;
  private readonly lanesBox = document.createElement('details');
  private readonly laneSummary = document.createElement('summary');
  private readonly laneList = span('lane-list');
  private readonly laneBoxes = new Map<Lane, CheckboxHandle>();
  private filters: TimelineFilters;
  private mode: ViewMode = 'timeline';
  private typing = 0;

  constructor(
    private readonly actions: ToolbarActions,
    filters: TimelineFilters,
    private readonly hasHost: boolean,
  ) {
    this.filters = filters;
    const bar = span('toolbar');
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', 'Timeline');
    this.title.textContent = 'Podtrace timeline';
    this.follow = checkbox({ label: 'Follow live', checked: true, onChange: (on) => actions.setFollow(on) });
    // Skip and Cancel ask a host to act: the report has none.
    const run = span('run-controls');
    run.append(
      button({
        label: 'Skip to end',
        title: 'Run the rest of the trace at full speed',
        onClick: () => actions.runControl('skipToEnd'),
      }),
      button({ label: 'Cancel', title: 'Stop the trace where it is', onClick: () => actions.runControl('cancel') }),
    );
    run.hidden = !hasHost;
    this.liveControls.append(this.follow.element, run);
    this.liveControls.hidden = true;
    this.modeButton = button({
      label: 'Table view',
      title: 'Show the events as a table (for screen readers)',
      onClick: () => actions.setMode(this.mode === 'timeline' ? 'table' : 'timeline'),
    });
    this.legendButton = button({
      label: 'Legend',
      title: 'Show what the colours of the pod phase bars mean',
      onClick: () => actions.toggleLegend(),
    });
    this.legendButton.setAttribute('aria-pressed', 'false');
    const format = dropdown<ExportFormat>({
      label: 'Export format',
      options: exportFormats.map((f) => ({ value: f, label: exportLabels[f] })),
      value: 'html',
      onChange: () => undefined,
    });
    this.exportControls.append(
      format.element,
      button({
        label: 'Export',
        title: 'Save the trace in the chosen format',
        onClick: () => actions.exportAs(format.value),
      }),
    );
    // Export asks a host to save the trace: hidden in the report, and until there is a trace.
    this.exportControls.hidden = true;
    bar.append(
      button({ label: 'Fit', title: 'Zoom to fit the whole trace (0)', onClick: () => actions.fit() }),
      button({ label: '−', title: 'Zoom out (S)', onClick: () => actions.zoom(1.5) }),
      button({ label: '+', title: 'Zoom in (W)', onClick: () => actions.zoom(1 / 1.5) }),
      this.liveControls,
      this.modeButton,
      this.legendButton,
      this.exportControls,
    );
    this.text = textField({
      label: 'Filter events by text in their reason, message or object (/)',
      placeholder: 'Filter events (/)',
      value: filters.text,
      onInput: () => this.typed(),
    });
    this.object = textField({
      label: 'Filter rows by object kind/name',
      placeholder: 'Object, e.g. pod/web',
      value: filters.object,
      onInput: () => this.typed(),
    });
    this.severity = dropdown({
      label: 'Severity',
      options: [
        { value: 'all', label: 'All events' },
        { value: 'warning', label: 'Warnings only' },
      ],
      value: filters.severity,
      onChange: (v) => this.changed({ severity: v }),
    });
    this.lanesBox.className = 'lanes';
    this.lanesBox.append(this.laneSummary, this.laneList);
    const filterBar = span('filters');
    filterBar.setAttribute('role', 'search');
    filterBar.append(this.text.element, this.object.element, this.severity.element, this.lanesBox);
    const heading = span('heading');
    heading.append(this.title, this.meta);
    const controls = span('controls');
    controls.append(bar, filterBar);
    this.element.append(heading, controls, divider());
    this.updateLaneSummary();
  }

  /** Puts a strip (the legend) at the foot of the toolbar, above its divider. */
  addStrip(strip: HTMLElement): void {
    this.element.insertBefore(strip, this.element.lastChild);
  }

  /** Shows the legend's toggle as pressed or not. */
  setLegend(shown: boolean): void {
    this.legendButton.setAttribute('aria-pressed', String(shown));
    this.legendButton.setAttribute('appearance', shown ? 'primary' : 'secondary');
  }

  setTitle(title: string, meta: string): void {
    this.title.textContent = title;
    this.meta.textContent = meta;
  }

  /** A trace has begun: there is something to export. */
  setHasTrace(): void {
    this.exportControls.hidden = !this.hasHost;
  }

  setLive(live: boolean): void {
    this.liveControls.hidden = !live;
  }

  setFollow(on: boolean): void {
    if (this.follow.checked !== on) this.follow.checked = on;
  }

  setMode(mode: ViewMode): void {
    this.mode = mode;
    this.modeButton.textContent = mode === 'timeline' ? 'Table view' : 'Timeline view';
  }

  /** Shows `filters` in the controls (restored state), without reporting a change. */
  setFilters(filters: TimelineFilters): void {
    this.filters = filters;
    if (this.text.value !== filters.text) this.text.value = filters.text;
    if (this.object.value !== filters.object) this.object.value = filters.object;
    if (this.severity.value !== filters.severity) this.severity.value = filters.severity;
    for (const [lane, box] of this.laneBoxes) box.checked = !filters.hiddenLanes.includes(lane);
    this.updateLaneSummary();
  }

  /** Offers a checkbox for each lane that has events, in lane order. */
  setLanes(present: readonly boolean[]): void {
    let changed = false;
    lanes.forEach((lane, i) => {
      if (!present[i] || this.laneBoxes.has(lane)) return;
      const box = checkbox({
        label: lane,
        checked: !this.filters.hiddenLanes.includes(lane),
        onChange: (on) => {
          const hidden = new Set(this.filters.hiddenLanes);
          if (on === !hidden.has(lane)) return;
          if (on) hidden.delete(lane);
          else hidden.add(lane);
          this.changed({ hiddenLanes: lanes.filter((l) => hidden.has(l)) });
        },
      });
      box.element.dataset.lane = lane;
      this.laneBoxes.set(lane, box);
      changed = true;
    });
    if (!changed) return;
    this.laneList.replaceChildren(
      ...lanes.filter((l) => this.laneBoxes.has(l)).map((l) => this.laneBoxes.get(l)!.element),
    );
    this.updateLaneSummary();
  }

  /** A new trace: its lanes are offered afresh. */
  clearLanes(): void {
    this.laneBoxes.clear();
    this.laneList.replaceChildren();
    this.updateLaneSummary();
  }

  focusText(): void {
    this.text.focus();
  }

  private typed(): void {
    clearTimeout(this.typing);
    this.typing = window.setTimeout(
      () => this.changed({ text: this.text.value, object: this.object.value }),
      typingDelayMs,
    );
  }

  private changed(change: Partial<TimelineFilters>): void {
    const next = { ...this.filters, ...change };
    if (
      next.text === this.filters.text &&
      next.object === this.filters.object &&
      next.severity === this.filters.severity &&
      next.hiddenLanes.join() === this.filters.hiddenLanes.join()
    )
      return;
    this.filters = next;
    this.updateLaneSummary();
    this.actions.filtersChanged(next);
  }

  private updateLaneSummary(): void {
    const hidden = this.filters.hiddenLanes.length;
    this.laneSummary.textContent = hidden === 0 ? 'Lanes: all' : `Lanes: ${hidden} hidden`;
  }
}
