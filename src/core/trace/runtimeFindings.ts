// Runtime findings: the warnings of a finished trace that an engineer has to act on, each on
// the YAML range that caused it. Core returns them as data; the editor shows them as
// diagnostics of their own source ("podtrace runtime"), apart from validation's findings.
//
// What counts is decided per problem, from the events' reasons, the YAML ranges they map to
// (their source's field path says which probe, image or volume) and the pods' summaries, never
// from message text, which changes between Kubernetes versions. A problem counts when the pod
// never got past it (a readiness probe that failed twice during start-up and then passed is
// not a finding; one that never passed is), except a crash loop and a restart by a failed
// liveness or startup probe, which count whenever they happened. Pods of one template map to
// the same range, so one finding stands for all of them, naming how many and quoting one
// message.
import type { PodSummary } from './podSummary';
import type { TraceSource } from './sourceMapping';
import type { TraceEvent } from './model/traceEvent';

export const runtimeFindingCodes = [
  'FailedScheduling',
  'FailedMount',
  'ErrImagePull',
  'ImagePullBackOff',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CrashLoopBackOff',
  'ReadinessProbeFailed',
  'LivenessProbeFailed',
  'StartupProbeFailed',
] as const;

export type RuntimeFindingCode = (typeof runtimeFindingCodes)[number];

export interface RuntimeFinding {
  /** The Kubernetes reason (or, for probes, which probe failed) an engineer searches for. */
  readonly code: RuntimeFindingCode;
  readonly severity: 'warning';
  readonly message: string;
  /** Where: the YAML range of the field that caused it (1-based, end column exclusive). */
  readonly source: TraceSource;
  /** The pods it concerns, as `namespace/name`, in the order they first showed it. */
  readonly pods: readonly string[];
  /** The event whose message the finding quotes. */
  readonly eventId: number;
}

type Problem = 'scheduling' | 'mount' | 'image' | 'crashLoop' | 'readiness' | 'liveness' | 'startup';

interface ProblemRule {
  /** Whether a pod's events of this problem make a finding, given where the pod got to. */
  readonly counts: (pod: PodSummary, events: readonly TraceEvent[]) => boolean;
  /** Which of the group's events to quote: the first says what went wrong, the last how it stands. */
  readonly quote: 'first' | 'last';
  /** The reasons worth quoting (the kubelet's `Failed` pull error over the `BackOff` that follows). */
  readonly quoteReasons: ReadonlySet<string>;
  readonly code: (events: readonly TraceEvent[]) => RuntimeFindingCode;
  /** What happened to the pods, after their count: `3 pods` + ` were never scheduled`. */
  readonly what: (pods: readonly PodSummary[]) => string;
}

const killedBy = (events: readonly TraceEvent[]) => events.some((e) => e.reason === 'Killing');
const set = (...reasons: string[]): ReadonlySet<string> => new Set(reasons);
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** Behaviour as data: one row per problem. */
const rules: Readonly<Record<Problem, ProblemRule>> = {
  scheduling: {
    counts: (pod) => pod.phases.scheduled === null,
    quote: 'last',
    quoteReasons: set('FailedScheduling'),
    code: () => 'FailedScheduling',
    what: (pods) => `${plural(pods.length, 'was', 'were')} never scheduled: no node fits`,
  },
  mount: {
    counts: (pod) => pod.phases.ipAssigned === null,
    quote: 'last',
    quoteReasons: set('FailedMount'),
    code: () => 'FailedMount',
    what: () => `never started: this volume was never mounted`,
  },
  image: {
    counts: (pod) => pod.phases.imagesReady === null,
    quote: 'first',
    quoteReasons: set('Failed', 'ErrImageNeverPull', 'InspectFailed', 'InvalidImageName'),
    code: (events) => {
      if (events.some((e) => e.reason === 'ErrImageNeverPull')) return 'ErrImageNeverPull';
      if (events.some((e) => e.reason === 'InspectFailed' || e.reason === 'InvalidImageName'))
        return 'InvalidImageName';
      return events.some((e) => e.reason === 'BackOff') ? 'ImagePullBackOff' : 'ErrImagePull';
    },
    what: () => `never got this image`,
  },
  crashLoop: {
    counts: () => true,
    quote: 'last',
    quoteReasons: set('BackOff'),
    code: () => 'CrashLoopBackOff',
    what: (pods) => {
      const restarts = Math.max(...pods.map((p) => p.restarts));
      return (
        'kept crashing: the kubelet backed off restarting this container ' +
        `(up to ${restarts} ${plural(restarts, 'restart', 'restarts')})`
      );
    },
  },
  readiness: {
    counts: (pod) => pod.phases.ready === null,
    quote: 'last',
    quoteReasons: set('Unhealthy'),
    code: () => 'ReadinessProbeFailed',
    what: () => `never became ready: this readiness probe never passed`,
  },
  liveness: {
    counts: (_pod, events) => killedBy(events),
    quote: 'last',
    quoteReasons: set('Unhealthy'),
    code: () => 'LivenessProbeFailed',
    what: () => `had this container restarted because its liveness probe failed`,
  },
  startup: {
    counts: (_pod, events) => killedBy(events),
    quote: 'last',
    quoteReasons: set('Unhealthy'),
    code: () => 'StartupProbeFailed',
    what: () => `had this container restarted because its startup probe never passed in time`,
  },
};

/** Reasons that can make a finding: the rest of the trace is never mapped to its source here. */
const candidateReasons = set(
  'FailedScheduling',
  'FailedMount',
  'Failed',
  'ErrImageNeverPull',
  'InspectFailed',
  'InvalidImageName',
  'BackOff',
  'Unhealthy',
  'Killing',
);

const lastSegment = (path: string) => path.slice(path.lastIndexOf('.') + 1);

/** Which problem an event is evidence of, from its reason and the field its source points at. */
function problemOf(event: TraceEvent, source: TraceSource): Problem | undefined {
  const field = lastSegment(source.path);
  switch (event.reason) {
    case 'FailedScheduling':
      return 'scheduling';
    case 'FailedMount':
      return 'mount';
    case 'Failed':
    case 'ErrImageNeverPull':
    case 'InspectFailed':
    case 'InvalidImageName':
      return field === 'image' ? 'image' : undefined;
    case 'BackOff':
      return field === 'image' ? 'image' : 'crashLoop';
    case 'Unhealthy':
    case 'Killing':
      return field === 'readinessProbe' && event.reason === 'Unhealthy'
        ? 'readiness'
        : field === 'livenessProbe'
          ? 'liveness'
          : field === 'startupProbe'
            ? 'startup'
            : undefined;
    default:
      return undefined;
  }
}

interface Group {
  readonly problem: Problem;
  readonly source: TraceSource;
  /** Each pod's events of this problem at this range, by uid, in the order the pods first showed it. */
  readonly byPod: Map<string, TraceEvent[]>;
}

function sourceKey(s: TraceSource): string {
  return `${s.file}\u0000${s.line}\u0000${s.column}\u0000${s.endLine}\u0000${s.endColumn}`;
}

function podList(pods: readonly PodSummary[]): string {
  const names = pods.slice(0, 3).map((p) => `${p.namespace}/${p.name}`);
  return pods.length > 3 ? `${names.join(', ')} and ${pods.length - 3} more` : names.join(', ');
}

/** The findings of a finished trace, ordered by file, position and code. */
export function runtimeFindings(
  events: readonly TraceEvent[],
  sourceOf: (event: TraceEvent) => TraceSource | undefined,
  pods: readonly PodSummary[],
): RuntimeFinding[] {
  const groups = new Map<string, Group>();
  for (const event of events) {
    if (!candidateReasons.has(event.reason) || event.object.kind !== 'Pod' || event.object.uid === null) continue;
    const source = sourceOf(event);
    if (!source) continue;
    const problem = problemOf(event, source);
    if (!problem) continue;
    const key = `${problem}\u0000${sourceKey(source)}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { problem, source, byPod: new Map() }));
    let list = group.byPod.get(event.object.uid);
    if (!list) group.byPod.set(event.object.uid, (list = []));
    list.push(event);
  }
  const podsByUid = new Map(pods.map((p) => [p.uid, p]));
  const findings: RuntimeFinding[] = [];
  for (const group of groups.values()) {
    const rule = rules[group.problem];
    const counted: PodSummary[] = [];
    const evidence: TraceEvent[] = [];
    for (const [uid, list] of group.byPod) {
      const pod = podsByUid.get(uid);
      if (!pod || !rule.counts(pod, list)) continue;
      counted.push(pod);
      evidence.push(...list);
    }
    if (counted.length === 0) continue;
    const quotable = evidence.filter((e) => rule.quoteReasons.has(e.reason));
    const pool = quotable.length > 0 ? quotable : evidence;
    const quoted = rule.quote === 'first' ? pool[0] : pool.reduce((a, b) => (b.time >= a.time ? b : a));
    const n = counted.length;
    findings.push({
      code: rule.code(evidence),
      severity: 'warning',
      message:
        `${n} ${plural(n, 'pod', 'pods')} (${podList(counted)}) ` +
        `${rule.what(counted)}. ${quoted.reason}: ${quoted.message}`,
      source: group.source,
      pods: counted.map((p) => `${p.namespace}/${p.name}`),
      eventId: quoted.id,
    });
  }
  return findings.sort(
    (a, b) =>
      (a.source.file < b.source.file ? -1 : a.source.file > b.source.file ? 1 : 0) ||
      a.source.line - b.source.line ||
      a.source.column - b.source.column ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
