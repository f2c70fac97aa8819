// Which mark a pointer picks where marks overlap, and where to point so that a given mark is
// the one picked. Marks are ranked as they are drawn: warnings on top, then instants over
// spans, shorter spans over longer ones, later events over earlier. The inspection API's
// `eventPosition` aims at a span's stretch that no higher-ranked mark covers, so that a click
// there selects that very span.
import { lowerBound, upperBound } from './growable';
import type { Scene } from './scene';
import type { TrackView } from './track';

/** Within this many CSS pixels of a mark, a click still picks it. */
const pickRadius = 5;
/** Candidates looked at when aiming at a span; beyond it the middle of the span is used. */
const maxCandidates = 5000;

/** The mark's rank at a distance of 0 (lower is on top); `order` is its place in the row's view. */
function markRank(scene: Scene, id: number, order: number): number {
  const { store, viewport } = scene;
  const d = store.duration[id];
  const span = d >= 0 ? 1 + (0.9 * d) / (d + viewport.spanMs) : 0;
  return (store.isWarning(id) ? 0 : 2) + span - order * 1e-7;
}

/** How far (CSS pixels) `x` is from the event's mark: 0 inside a span. */
function distanceTo(scene: Scene, id: number, x: number): number {
  const { store, viewport: vp } = scene;
  const xe = vp.x(store.time[id]);
  const d = store.duration[id];
  return d > 0 ? Math.max(0, vp.x(store.time[id] - d) - x, x - xe) : Math.abs(xe - x);
}

/** The event whose mark a click at `x` picks in the view, or -1. */
export function pickInView(scene: Scene, view: TrackView, x: number): number {
  const { viewport: vp } = scene;
  const radius = pickRadius * vp.msPerPx;
  const t = vp.timeAt(x);
  const from = lowerBound(view.ends, view.length, t - radius);
  const to = upperBound(view.ends, view.length, t + radius + view.maxDuration);
  let best = -1;
  let bestScore = Infinity;
  for (let i = from; i < to; i++) {
    const id = view.ids[i];
    const distance = distanceTo(scene, id, x);
    if (distance > pickRadius) continue;
    const score = distance * 4 + markRank(scene, id, i);
    if (score < bestScore) {
      bestScore = score;
      best = id;
    }
  }
  return best;
}

/**
 * The x in the middle of the widest stretch of the span's visible part that no mark ranked
 * above it covers (a click there picks the span); the middle of the visible part when every
 * stretch is covered.
 */
export function clearSpanX(scene: Scene, view: TrackView, id: number): number {
  const { store, viewport: vp } = scene;
  const end = store.time[id];
  const s = Math.max(vp.x0, vp.x(store.startOf(id)));
  const e = Math.min(vp.x0 + vp.width, vp.x(end));
  if (e < s) return vp.x(end);
  const order = orderInView(view, id, end);
  if (order < 0) return (s + e) / 2;
  const rank = markRank(scene, id, order);
  const from = lowerBound(view.ends, view.length, vp.timeAt(s - pickRadius));
  const to = Math.min(
    upperBound(view.ends, view.length, vp.timeAt(e + pickRadius) + view.maxDuration),
    from + maxCandidates,
  );
  const covered: [number, number][] = [];
  for (let i = from; i < to; i++) {
    const other = view.ids[i];
    if (other === id) continue;
    const r = markRank(scene, other, i);
    if (r >= rank) continue;
    // Beyond this distance the other mark's rank no longer makes up for it (4 per pixel).
    const reach = (rank - r) / 4;
    const d = store.duration[other];
    const xs = vp.x(d > 0 ? store.time[other] - d : store.time[other]) - reach;
    const xe = vp.x(store.time[other]) + reach;
    if (xe >= s && xs <= e) covered.push([xs, xe]);
  }
  covered.sort((a, b) => a[0] - b[0]);
  let bestStart = s;
  let bestWidth = -1;
  let at = s;
  for (const [xs, xe] of covered) {
    if (xs > at && xs - at > bestWidth) {
      bestStart = at;
      bestWidth = xs - at;
    }
    if (xe > at) at = xe;
  }
  if (e > at && e - at > bestWidth) {
    bestStart = at;
    bestWidth = e - at;
  }
  return bestWidth > 0 ? bestStart + bestWidth / 2 : (s + e) / 2;
}

/** The event's place in the view (which is sorted by end time), or -1. */
export function orderInView(view: TrackView, id: number, end: number): number {
  for (let i = lowerBound(view.ends, view.length, end); i < view.length && view.ends[i] === end; i++) {
    if (view.ids[i] === id) return i;
  }
  return -1;
}
