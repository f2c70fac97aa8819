// What the YAML cursor points at, on two levels. The rows: every object with an event mapped
// into the cursor's YAML document (a Deployment's document takes in its ReplicaSets and pods,
// whose events map to its pod template), drawn with a light background. The events: those
// whose YAML range holds the cursor's line (the `image:` line: every pull of that image; a
// probe's lines: every run of that probe), drawn like a search match. A cursor on a line no
// event maps to (`metadata:`) lights only the rows.
import type { SourceSelection } from '../protocol/messages';
import type { SourceHighlight } from './scene';
import type { TraceStore } from './traceStore';

export function sourceHighlight(store: TraceStore, selection: SourceSelection | null): SourceHighlight | null {
  if (!selection) return null;
  const inDocument = new Uint8Array(store.sources.length);
  const sources = new Uint8Array(store.sources.length);
  let any = false;
  store.sources.forEach((s, i) => {
    if (s.file !== selection.file || s.line < selection.documentStartLine || s.line > selection.documentEndLine) return;
    inDocument[i] = 1;
    any = true;
    if (s.line <= selection.line && selection.line <= s.endLine) sources[i] = 1;
  });
  const entities = new Uint8Array(store.entities.list.length);
  const atCursor = new Uint8Array(store.entities.list.length);
  let count = 0;
  let exact = 0;
  if (any) {
    const { source, object, entityOf } = store;
    for (let id = 0; id < store.count; id++) {
      const s = source[id];
      if (s < 0 || inDocument[s] === 0) continue;
      const e = entityOf[object[id]];
      if (entities[e] === 0) {
        entities[e] = 1;
        count++;
      }
      if (sources[s] === 1 && atCursor[e] === 0) {
        atCursor[e] = 1;
        exact++;
      }
    }
  }
  return { entities, sources, count, atCursor: exact > 0 ? atCursor : null };
}
