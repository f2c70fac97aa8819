// Controllers' events map to the field of their object that decided them, as the controller
// recorded it: a Job's deadline, the count its pods are made by, a CronJob's schedule and
// concurrency policy, a Deployment's progress deadline, the tolerations a taint eviction waits for.
import { test } from 'node:test';
import { assertSource, eventOf, traceManifest } from './sourceCase';

const controllers = `apiVersion: batch/v1
kind: Job
metadata: {name: slow}
spec:
  activeDeadlineSeconds: 5
  template:
    metadata:
      annotations: {podtrace.dev/startup-seconds: "60"}
    spec:
      restartPolicy: Never
      containers: [{name: work, image: busybox:1.36}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "*/1 * * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      completions: 1
      template:
        metadata:
          annotations: {podtrace.dev/startup-seconds: "90"}
        spec:
          restartPolicy: Never
          containers: [{name: report, image: busybox:1.36}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: stuck}
spec:
  replicas: 1
  progressDeadlineSeconds: 20
  selector: {matchLabels: {app: stuck}}
  template:
    metadata: {labels: {app: stuck}}
    spec:
      tolerations:
        - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 10}
      containers:
        - name: app
          image: nginx:1.27
          readinessProbe: {tcpSocket: {port: 8080}}
`;

test('a Job past its deadline: DeadlineExceeded and the deletion of its pods map to activeDeadlineSeconds', () => {
  const trace = traceManifest(controllers, { until: 200 });
  const deadline = {
    line: 5,
    column: 3,
    endLine: 5,
    endColumn: 27,
    path: 'spec.activeDeadlineSeconds',
    text: 'activeDeadlineSeconds: 5',
  };
  assertSource(trace, eventOf(trace, 'DeadlineExceeded'), deadline);
  assertSource(trace, eventOf(trace, 'SuccessfulDelete', { kind: 'Job' }), deadline);
});

test("a CronJob's Job made by its schedule; that Job's pods and completion by the jobTemplate's completions", () => {
  const trace = traceManifest(controllers, { until: 200 });
  assertSource(trace, eventOf(trace, 'SuccessfulCreate', { kind: 'CronJob' }), {
    line: 17,
    column: 3,
    endLine: 17,
    endColumn: 26,
    path: 'spec.schedule',
    text: 'schedule: "*/1 * * * *"',
  });
  const completions = {
    line: 21,
    column: 7,
    endLine: 21,
    endColumn: 21,
    path: 'spec.jobTemplate.spec.completions',
    text: 'completions: 1',
  };
  assertSource(trace, eventOf(trace, 'SuccessfulCreate', { kind: 'Job', message: /report-/ }), completions);
  assertSource(trace, eventOf(trace, 'Completed', { kind: 'Job' }), completions);
});

test('a schedule skipped while the last Job runs (JobAlreadyActive): the concurrencyPolicy', () => {
  const trace = traceManifest(controllers, { until: 200 });
  assertSource(trace, eventOf(trace, 'JobAlreadyActive'), {
    line: 18,
    column: 3,
    endLine: 18,
    endColumn: 28,
    path: 'spec.concurrencyPolicy',
    text: 'concurrencyPolicy: Forbid',
  });
});

test('ProgressDeadlineExceeded: the progressDeadlineSeconds', () => {
  const trace = traceManifest(controllers, { until: 200 });
  assertSource(trace, eventOf(trace, 'ProgressDeadlineExceeded'), {
    line: 34,
    column: 3,
    endLine: 34,
    endColumn: 30,
    path: 'spec.progressDeadlineSeconds',
    text: 'progressDeadlineSeconds: 20',
  });
});

test('a taint eviction after the node stops: the tolerations whose tolerationSeconds ran out', () => {
  const trace = traceManifest(controllers, {
    until: 120,
    scenario: `- {at: 5s, failNode: node-1}
- {at: 5s, failNode: node-2}
- {at: 5s, failNode: node-3}
`,
  });
  assertSource(
    trace,
    eventOf(trace, 'TaintManagerEviction', { message: /^Marking for deletion Pod default\/stuck-/ }),
    {
      line: 39,
      column: 7,
      endLine: 39,
      endColumn: 18,
      path: 'spec.template.spec.tolerations',
      text: 'tolerations',
    },
  );
});
