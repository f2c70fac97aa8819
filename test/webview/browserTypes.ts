// The browser-side types of the tests' page.evaluate bodies: the globals the app and the
// harness put in the page. These tests type-check with tsconfig.browserTests.json (Node and
// the DOM), kept apart from tsconfig.json so that a DOM global used by mistake in core still
// fails there. The inspection API is written out here rather than imported from src/webview,
// so that a change to its shape, which other tests and the benchmark read, fails these
// tests first.

export interface InspectedRow {
  readonly label: string;
  readonly kind: 'section' | 'lane' | 'pod' | 'object';
  readonly y: number;
  readonly height: number;
  readonly eventsHeight: number;
}

export interface TimelineInspection {
  readonly eventCount: number;
  readonly rowCount: number;
  rows(): InspectedRow[];
  eventPosition(id: number): { x: number; y: number } | undefined;
  readonly selectedEventId: number | undefined;
  viewport(): { startMs: number; endMs: number };
  readonly frames: number;
  tableEventIds(): number[];
  highlightedRows(): string[];
  rowsAtCursor(): string[];
  phaseSegments(rowLabel: string): InspectedSegment[];
}

export interface InspectedSegment {
  readonly step: string;
  readonly x0: number;
  readonly x1: number;
  readonly y: number;
  readonly height: number;
  readonly held: boolean;
  readonly open: boolean;
}

declare global {
  interface Window {
    __podtraceTimeline?: TimelineInspection;
    /** What the app posted to the mocked host (the harness's acquireVsCodeApi). */
    __posted?: { type: string; [key: string]: unknown }[];
    __pwned?: unknown;
  }
}
