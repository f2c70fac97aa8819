// What the app keeps across reloads of the webview (VS Code's setState, or sessionStorage in
// the report): the time window, the scroll, the filters, the selection, the view mode, follow
// live, the pod whose critical path shows, the collapsed sections and the legend. It is read back with
// the same care as a message: a field that does not validate is left at its default.
import { parseWebviewMessage, type TimelineFilters } from '../protocol/messages';
import { noFilters } from './eventFilter';
import type { SectionId } from './rowLayout';
import type { TimeWindow } from './viewport';

export type ViewMode = 'timeline' | 'table';

export interface ViewState {
  readonly version: 1;
  readonly viewport: TimeWindow | null;
  readonly scrollTop: number;
  readonly filters: TimelineFilters;
  readonly selectedEvent: number;
  readonly selectedRow: string | null;
  readonly mode: ViewMode;
  readonly follow: boolean;
  /** The row key of the pod whose critical path is shown. */
  readonly criticalPod: string | null;
  readonly collapsed: readonly SectionId[];
  /** Whether the legend of the pod phase bars is shown. */
  readonly legend: boolean;
}

export const defaultViewState: ViewState = {
  version: 1,
  viewport: null,
  scrollTop: 0,
  filters: noFilters,
  selectedEvent: -1,
  selectedRow: null,
  mode: 'timeline',
  follow: true,
  criticalPod: null,
  collapsed: [],
  legend: false,
};

const sections: readonly SectionId[] = ['lanes', 'workloads', 'pods', 'services', 'nodes', 'other'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The state in `value`, field by field; undefined when there is none of version 1. */
export function parseViewState(value: unknown): ViewState | undefined {
  if (!isRecord(value) || value.version !== 1) return undefined;
  const d = defaultViewState;
  const vp = value.viewport;
  const filters = parseWebviewMessage({ type: 'filtersChanged', filters: value.filters });
  return {
    version: 1,
    viewport:
      isRecord(vp) && finite(vp.startMs) && finite(vp.endMs) && vp.endMs > vp.startMs
        ? { startMs: vp.startMs, endMs: vp.endMs }
        : d.viewport,
    scrollTop: finite(value.scrollTop) && value.scrollTop >= 0 ? value.scrollTop : d.scrollTop,
    filters: filters.ok && filters.message.type === 'filtersChanged' ? filters.message.filters : d.filters,
    selectedEvent:
      Number.isInteger(value.selectedEvent) && (value.selectedEvent as number) >= -1
        ? (value.selectedEvent as number)
        : d.selectedEvent,
    selectedRow: typeof value.selectedRow === 'string' ? value.selectedRow : d.selectedRow,
    mode: value.mode === 'table' || value.mode === 'timeline' ? value.mode : d.mode,
    follow: typeof value.follow === 'boolean' ? value.follow : d.follow,
    criticalPod: typeof value.criticalPod === 'string' ? value.criticalPod : d.criticalPod,
    collapsed: Array.isArray(value.collapsed)
      ? sections.filter((s) => (value.collapsed as unknown[]).includes(s))
      : d.collapsed,
    legend: typeof value.legend === 'boolean' ? value.legend : d.legend,
  };
}
