// The Job controller against upstream's behaviour: the generated selector and pod labels,
// the job-tracking finalizer counted through uncountedTerminatedPods, SuccessCriteriaMet
// before Complete (CompletionsReached), FailureTarget before Failed (BackoffLimitExceeded),
// and failed pods replaced after 10 s, then 20 s.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimCluster } from '../../src/core/sim/cluster';
import { parseAllObjects } from '../../src/core/sim/scenario/scenario';
import type { KubeObject } from '../../src/core/sim/store/objects';
import type { Pod } from '../../src/core/sim/store/kinds';

/* eslint-disable @typescript-eslint/no-explicit-any -- statuses are read loosely. */

function runJob(manifest: string) {
  const cluster = new SimCluster({ seed: 3, version: '1.35', nodeCount: 2 });
  const jobWrites: any[] = [];
  cluster.ctx.store.watch('jobs', {}, (e) => jobWrites.push(e.object.status ?? {}));
  cluster.apply(parseAllObjects(manifest) as KubeObject[]);
  const result = cluster.run({});
  const job = cluster.ctx.store.list('jobs')[0];
  const pods = cluster.ctx.store.list('pods');
  const reasons = cluster.ctx.trace.events
    .filter((e) => e.object.kind === 'Job' && e.lane === 'controller-manager')
    .map((e) => `${e.reason}: ${e.message}`);
  return { cluster, result, job, pods, jobWrites, reasons };
}

test('a Job runs its completions, parallelism at a time, and ends SuccessCriteriaMet then Complete', () => {
  const { result, job, pods, jobWrites, reasons } = runJob(`apiVersion: batch/v1
kind: Job
metadata: {name: report}
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: report, image: busybox:1.36}]
`);
  assert.equal(result.reason, 'quiescent');
  const uid = job.metadata.uid!;
  assert.deepEqual(job.spec!.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
  assert.deepEqual(job.spec!.template.metadata!.labels, {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': 'report',
    'controller-uid': uid,
    'job-name': 'report',
  });
  assert.equal(job.spec!.backoffLimit, 6);
  assert.equal(job.spec!.podReplacementPolicy, 'TerminatingOrFailed');

  assert.equal(pods.length, 3);
  for (const pod of pods) {
    assert.match(pod.metadata.name, /^report-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(pod.status!.phase, 'Succeeded');
    assert.deepEqual(pod.metadata.finalizers ?? [], [], 'the tracking finalizer is removed once the pod is counted');
    assert.equal(pod.metadata.labels?.['job-name'], 'report');
    assert.deepEqual(pod.metadata.ownerReferences, [
      { apiVersion: 'batch/v1', kind: 'Job', name: 'report', uid, controller: true, blockOwnerDeletion: true },
    ]);
  }
  // Never more than parallelism pods at once.
  assert.ok(
    jobWrites.every((s) => (s.active ?? 0) <= 2),
    'active never above parallelism',
  );
  // A finished pod is listed as uncounted before it is counted.
  assert.ok(
    jobWrites.some((s) => (s.uncountedTerminatedPods?.succeeded?.length ?? 0) > 0),
    'uncountedTerminatedPods used',
  );

  assert.equal(job.status!.succeeded, 3);
  assert.equal(job.status!.failed, undefined);
  assert.deepEqual(job.status!.uncountedTerminatedPods, {});
  assert.deepEqual(
    job.status!.conditions!.map((c: any) => [c.type, c.status, c.reason, c.message]),
    [
      ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ],
  );
  assert.equal(job.status!.completionTime, job.status!.conditions![1].lastTransitionTime);
  assert.deepEqual(
    reasons.filter((r) => !r.startsWith('SuccessfulCreate')),
    ['Completed: Job completed'],
  );
  assert.equal(reasons.filter((r) => r.startsWith('SuccessfulCreate: Created pod: report-')).length, 3);
});

/** A Job of one pod whose container always exits 1, with backoffLimit 2. */
const failingJob = (name: string, restartPolicy: 'Never' | 'OnFailure') => `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
  backoffLimit: 2
  template:
    metadata:
      annotations: {podtrace.dev/exit-code: "1"}
    spec:
      restartPolicy: ${restartPolicy}
      containers: [{name: work, image: busybox:1.36}]
`;

test('failed pods are replaced after the Job back-off until backoffLimit is passed: FailureTarget, then Failed', () => {
  const { job, pods, reasons, cluster } = runJob(failingJob('migrate', 'Never'));
  assert.equal(pods.length, 3, 'backoffLimit 2: the third failure ends the Job');
  assert.ok(pods.every((p) => p.status!.phase === 'Failed' && (p.metadata.finalizers ?? []).length === 0));
  assert.equal(job.status!.failed, 3);
  assert.deepEqual(
    job.status!.conditions!.map((c: any) => [c.type, c.status, c.reason, c.message]),
    [
      ['FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ['Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ],
  );
  assert.equal(job.status!.completionTime, undefined);
  assert.equal(reasons[reasons.length - 1], 'BackoffLimitExceeded: Job has reached the specified backoff limit');
  // Each replacement waits the back-off from the failed pod's finish time: 10 s, then 20 s.
  const toMs = (t: string) => Date.parse(t);
  const sorted = [...pods].sort((a, b) => toMs(a.metadata.creationTimestamp!) - toMs(b.metadata.creationTimestamp!));
  const finished = (p: Pod) => toMs(p.status!.containerStatuses![0].state!.terminated!.finishedAt!);
  const created = (p: Pod) =>
    cluster.ctx.trace.events.find((e) => e.object.uid === p.metadata.uid && e.reason === 'Stored')!.time;
  const epoch = Date.UTC(2026, 0, 1);
  const delay1 = created(sorted[1]) - (finished(sorted[0]) - epoch);
  const delay2 = created(sorted[2]) - (finished(sorted[1]) - epoch);
  assert.ok(delay1 >= 10_000 && delay1 < 10_100, `first replacement after ${delay1} ms`);
  assert.ok(delay2 >= 20_000 && delay2 < 20_100, `second replacement after ${delay2} ms`);
});

test('restartPolicy OnFailure: the pod restarts in place (phase Running) until its restarts reach backoffLimit', () => {
  const { job, reasons, cluster } = runJob(failingJob('flaky', 'OnFailure'));
  assert.equal(
    reasons.filter((r) => r.startsWith('SuccessfulCreate')).length,
    1,
    'no replacement pod: the container restarts',
  );
  assert.equal(
    reasons.filter((r) => r.startsWith('SuccessfulDelete')).length,
    1,
    'the failing Job deletes its running pod',
  );
  const phases = cluster.ctx.trace.events
    .filter((e) => e.reason === 'StatusPatched')
    .map((e) => /phase (\w+)/.exec(e.message)![1]);
  assert.ok(!phases.slice(0, -2).includes('Failed'), `phases while restarting: ${phases.join(', ')}`);
  assert.ok(
    cluster.ctx.trace.events.some((e) => e.reason === 'BackOff'),
    'CrashLoopBackOff between restarts',
  );
  assert.equal(job.status!.conditions!.at(-1)!.type, 'Failed');
  assert.equal(reasons.at(-1), 'BackoffLimitExceeded: Job has reached the specified backoff limit');
});
