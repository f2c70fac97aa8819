// Normalises the parts of a `podtrace trace --json` text that depend on writes elsewhere in the
// simulator, so that a golden compares what matters. Uids come from the cluster's seeded random
// stream and resourceVersions from its one write counter: one more object or write anywhere
// (a new default object, a controller that writes once more) shifts them in every trace,
// though no event changed. What stays checked is the relation they carry: which events,
// pods, windows and derived names (a provisioned volume's `pvc-<uid>`) share an object, and
// which write came before which.
//
// The work is on the text, not on parsed JSON, so that the normalised golden keeps the
// one-event-per-line layout the CLI writes and a failing comparison can name a line.

/**
 * A uid as the store makes them (`uuidFrom`): lower-case hex in the 8-4-4-4-12 shape, also inside
 * a name such as `pvc-<uid>` or an event source `<provisioner>_<pod>_<uuid>` (hence no `\b`).
 */
const uidPattern = /(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])/g;

/**
 * A resourceVersion: in the apiserver's "created at resourceVersion 22" messages, and as a
 * `"resourceVersion":"22"` field should a trace ever carry object metadata.
 */
const versionPattern = /(resourceVersion )(\d+)\b|("resourceVersion":")(\d+)(")/g;

/** The placeholder of the n-th distinct uid (1-based); not uid-shaped, so normalising twice changes nothing. */
export function uidPlaceholder(n: number): string {
  return `<uid ${n}>`;
}

/** The placeholder of the n-th lowest distinct resourceVersion (1-based). */
export function versionPlaceholder(n: number): string {
  return `<rv ${n}>`;
}

/**
 * Replaces each distinct uid by a placeholder numbered in order of first appearance, and each
 * distinct resourceVersion by its rank among the resourceVersions of the same text. Ranks,
 * rather than first appearance, keep the order of the writes checked; both are unchanged by
 * writes that the trace does not show, which is what moves absolute numbers today.
 */
export function normaliseTrace(text: string): string {
  const uids = new Map<string, number>();
  const withUids = text.replace(uidPattern, (uid) => {
    let n = uids.get(uid);
    if (n === undefined) {
      n = uids.size + 1;
      uids.set(uid, n);
    }
    return uidPlaceholder(n);
  });
  const versions = new Set<number>();
  for (const m of withUids.matchAll(versionPattern)) versions.add(Number(m[2] ?? m[4]));
  const rank = new Map([...versions].sort((a, b) => a - b).map((v, i) => [v, i + 1] as const));
  // Every version in the text was ranked just above, so the look-ups cannot miss.
  const placeholder = (version: string) => versionPlaceholder(rank.get(Number(version))!);
  return withUids.replace(
    versionPattern,
    (_all, prose?: string, proseVersion?: string, field?: string, fieldVersion?: string, quote?: string) =>
      prose !== undefined ? `${prose}${placeholder(proseVersion!)}` : `${field}${placeholder(fieldVersion!)}${quote}`,
  );
}

/**
 * Where two normalised texts first differ: the 1-based line and both lines, so a failing
 * golden names the event instead of printing a megabyte of JSON. Undefined when equal.
 */
export function firstDifference(expected: string, actual: string): string | undefined {
  if (expected === actual) return undefined;
  const want = expected.split('\n');
  const got = actual.split('\n');
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] === got[i]) continue;
    const show = (line: string | undefined) => (line === undefined ? '(no such line)' : line);
    return `line ${i + 1} differs:\n  expected ${show(want[i])}\n  actual   ${show(got[i])}`;
  }
  // Same lines yet different texts cannot happen with '\n' splitting; say so rather than pass.
  throw new Error(
    `expected texts of ${expected.length} and ${actual.length} characters to differ on some line; none did`,
  );
}
