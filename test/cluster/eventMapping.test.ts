// Events as a real apiserver serves them (core/v1 with count and lastTimestamp, events.k8s.io/v1
// with a series), read into one shape and placed on the simulator's lanes; and the watch mapping
// when the watches arrive out of order (a pod before its ReplicaSet) or an Event repeats.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { laneOfEvent } from '../../src/core/cluster/eventLanes';
import { viewOfEvent } from '../../src/core/cluster/kubeEvent';
import { followedKeys, WatchTraceMapper } from '../../src/core/cluster/watchTraceMapper';
import type { KubeObject } from '../../src/core/sim/store/objects';

const kubeletPulled: KubeObject = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web-1.17f0', namespace: 'default', uid: 'ev-1', resourceVersion: '501' },
  involvedObject: {
    apiVersion: 'v1',
    kind: 'Pod',
    namespace: 'default',
    name: 'web-1',
    uid: 'pod-1',
    fieldPath: 'spec.containers{web}',
  },
  reason: 'Pulled',
  message: 'Successfully pulled image "nginx:1.27" in 2.63s (2.63s including waiting). Image size: 71303168 bytes.',
  source: { component: 'kubelet', host: 'node-a' },
  firstTimestamp: '2026-01-01T00:00:05Z',
  lastTimestamp: '2026-01-01T00:00:05Z',
  count: 1,
  type: 'Normal',
  eventTime: null,
  reportingComponent: 'kubelet',
  reportingInstance: 'node-a',
};

const schedulerSeries: KubeObject = {
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'web-2.17f1', namespace: 'default', uid: 'ev-2', resourceVersion: '502' },
  regarding: { kind: 'Pod', namespace: 'default', name: 'web-2', uid: 'pod-2' },
  reason: 'FailedScheduling',
  note:
    '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: ' +
    '3 No preemption victims found for incoming pod.',
  type: 'Warning',
  eventTime: '2026-01-01T00:00:01.250000Z',
  series: { count: 3, lastObservedTime: '2026-01-01T00:00:09.125000Z' },
  reportingController: 'default-scheduler',
  reportingInstance: 'default-scheduler-control-plane',
  action: 'Scheduling',
};

test('both Event APIs read into one shape, with the time of the last occurrence', () => {
  const pulled = viewOfEvent(kubeletPulled);
  assert.deepEqual(
    { ...pulled, lastMs: new Date(pulled.lastMs).toISOString() },
    {
      uid: 'ev-1',
      resourceVersion: '501',
      involved: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'pod-1', fieldPath: 'spec.containers{web}' },
      reason: 'Pulled',
      message: kubeletPulled.message,
      severity: 'Normal',
      component: 'kubelet',
      host: 'node-a',
      count: 1,
      lastMs: '2026-01-01T00:00:05.000Z',
      precise: false,
    },
  );
  const failed = viewOfEvent(schedulerSeries);
  assert.equal(failed.count, 3);
  assert.equal(failed.precise, true);
  assert.equal(new Date(failed.lastMs).toISOString(), '2026-01-01T00:00:09.125Z');
  assert.equal(failed.message, schedulerSeries.note);
  assert.throws(
    () => viewOfEvent({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'x', namespace: 'default' } }),
    /Event default\/x: expected involvedObject to be an object, found undefined/,
  );
});

test('lanes follow the reporting component, and the kubelet reason as the simulator records it', () => {
  const cases: [string, string, string, string][] = [
    ['default-scheduler', 'Scheduled', '', 'scheduler'],
    ['kubelet', 'Pulling', '', 'kubelet'],
    ['kubelet', 'Pulled', 'Successfully pulled image "x"', 'cri'],
    ['kubelet', 'Pulled', 'Container image "x" already present on machine', 'kubelet'],
    ['kubelet', 'Unhealthy', '', 'probe'],
    ['kubelet', 'FailedMount', '', 'csi'],
    ['kubelet', 'Killing', '', 'kubelet'],
    ['deployment-controller', 'ScalingReplicaSet', '', 'controller-manager'],
    ['controllermanager', 'NoPods', '', 'controller-manager'],
    ['endpoint-slice-controller', 'FailedToUpdateEndpointSlices', '', 'endpoints'],
    ['rancher.io/local-path_local-path-provisioner-7b_0f', 'ProvisioningSucceeded', '', 'csi'],
    ['cert-manager-certificates-issuing', 'Issuing', '', 'controller-manager'],
  ];
  for (const [component, reason, message, lane] of cases)
    assert.equal(laneOfEvent(component, reason, message), lane, `${component} ${reason}`);
});

const rsUid = 'rs-1';
const pod = (status: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-1',
    namespace: 'default',
    uid: 'pod-1',
    resourceVersion: '10',
    creationTimestamp: '2026-01-01T00:00:01Z',
    labels: { app: 'web' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: rsUid, controller: true }],
  },
  spec: { nodeName: 'node-a', containers: [{ name: 'web', image: 'nginx:1.27' }] },
  status,
});

test('a pod that arrives before its ReplicaSet waits for it, and a repeated Event is one occurrence more', () => {
  const origin = Date.parse('2026-01-01T00:00:00Z');
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'dep-1', creationTimestamp: '2026-01-01T00:00:00Z' },
  };
  const mapper = new WatchTraceMapper(followedKeys([deployment], 'default'), origin);
  mapper.handle({ type: 'ADDED', object: deployment, receivedMs: origin + 10 });
  mapper.handle({ type: 'ADDED', object: kubeletPulled, receivedMs: origin + 5_200 });
  mapper.handle({
    type: 'ADDED',
    object: pod({
      phase: 'Running',
      podIP: '10.244.0.5',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:00:01Z' },
        { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:07Z' },
      ],
      containerStatuses: [
        {
          name: 'web',
          imageID: 'docker.io/library/nginx@sha256:1',
          state: { running: { startedAt: '2026-01-01T00:00:06Z' } },
        },
      ],
    }),
    receivedMs: origin + 7_300,
  });
  // Nothing yet: the pod's owner is not known, so neither is whether the trace follows it.
  assert.equal(mapper.takeStep(origin + 7_300).events.length, 1);
  mapper.handle({
    type: 'ADDED',
    object: {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-abc',
        namespace: 'default',
        uid: rsUid,
        creationTimestamp: '2026-01-01T00:00:00Z',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-1', controller: true }],
      },
    },
    receivedMs: origin + 7_400,
  });
  mapper.handle({
    type: 'MODIFIED',
    object: { ...kubeletPulled, count: 2, metadata: { ...kubeletPulled.metadata, resourceVersion: '600' } },
    receivedMs: origin + 9_000,
  });
  mapper.handle({
    type: 'MODIFIED',
    object: { ...kubeletPulled, count: 2, metadata: { ...kubeletPulled.metadata, resourceVersion: '600' } },
    receivedMs: origin + 9_500,
  });
  const step = mapper.takeStep(origin + 10_000);
  assert.deepEqual(
    step.events.map(
      (e) => `${e.id} ${e.lane} ${e.reason} ${e.object.kind} ${e.observed === false ? 'inferred' : 'observed'}`,
    ),
    [
      '1 etcd Stored ReplicaSet inferred',
      // What waited for the ReplicaSet, in the order it arrived.
      '2 cri Pulled Pod observed',
      '3 etcd Stored Pod inferred',
      '4 kubelet StatusPatched Pod inferred',
      '5 cri Pulled Pod observed',
    ],
  );
  assert.equal(step.events[1].time, 5_200, 'a time with whole seconds takes the arrival within that second');
  assert.equal(step.events[1].node, 'node-a');
  assert.equal(step.events[1].fieldPath, 'spec.containers{web}');
  assert.equal(step.clockMs, 10_000);
  assert.equal(step.pods.length, 1);
  const phases = step.pods[0].phases;
  // Seconds that ended before the pod arrived are taken at their last millisecond.
  assert.deepEqual(phases, {
    created: 1_999,
    scheduled: 1_999,
    ipAssigned: 7_300,
    imagesReady: 7_300,
    started: 6_999,
    ready: 7_300,
    inEndpoints: null,
    routable: null,
  });
  assert.equal(mapper.lineage.get('pod-1')?.owner, rsUid);
});
