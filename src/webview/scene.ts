// Everything a frame is drawn from, owned by the app and read by the renderer, the hit test
// and the inspection API.
import type { Entity } from './entities';
import type { EventFilter } from './eventFilter';
import type { Geometry } from './geometry';
import type { LevelOfDetailCache } from './levelOfDetail';
import type { RowLayout } from './rowLayout';
import type { TextCache } from './textCache';
import type { Theme } from './theme';
import type { TraceStore } from './traceStore';
import type { Viewport } from './viewport';

export interface Selection {
  /** The selected event, or -1. */
  readonly event: number;
  /** The key of the row it was selected in (or the selected row's, with no event). */
  readonly rowKey: string | null;
}

/** What the YAML cursor points at: the objects and the source ranges of its document. */
export interface SourceHighlight {
  /** By entity: whether it has an event mapped into the cursor's YAML document. */
  readonly entities: Uint8Array;
  /** By source: whether the range holds the cursor's line. */
  readonly sources: Uint8Array;
  readonly count: number;
  /** By entity: whether it has an event at the cursor's line (null: none has). */
  readonly atCursor: Uint8Array | null;
}

/** The steps that set a pod's time to routable (or to the last phase it reached). */
export interface CriticalPath {
  readonly entity: Entity;
  /** Event ids from the earliest step to the last. */
  readonly events: readonly number[];
}

export interface Scene {
  readonly store: TraceStore;
  readonly filter: EventFilter;
  readonly layout: RowLayout;
  readonly viewport: Viewport;
  readonly geometry: Geometry;
  readonly lod: LevelOfDetailCache;
  readonly text: TextCache;
  theme: Theme;
  selection: Selection;
  highlight: SourceHighlight | null;
  critical: CriticalPath | null;
  /** Whether events are still streaming in. */
  live: boolean;
}
