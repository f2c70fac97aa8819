// The Table format of `kubectl get`; the cases follow pkg/printers/internalversion/printers_test.go
// and apimachinery's duration tests (rewritten): pod READY, STATUS and RESTARTS, the workload,
// network, storage and cluster rows, ages from the given clock, and the Table's own shape.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { humanDuration } from '../../../src/core/server/table/age';
import { podStatusCells } from '../../../src/core/server/table/podPrinter';
import { acceptsTable, includeObjectOf, printerFor, tableOf } from '../../../src/core/server/table/table';

const nowMs = Date.parse('2026-01-01T12:00:00Z');
const ago = (seconds: number) => new Date(nowMs - seconds * 1000).toISOString();

test('ages read as HumanDuration prints them', () => {
  const cases: [number, string][] = [
    [-1, '0s'],
    [-5, '<invalid>'],
    [0, '0s'],
    [119, '119s'],
    [120, '2m'],
    [599, '9m59s'],
    [600, '10m'],
    [179 * 60, '179m'],
    [3 * 3600, '3h'],
    [5.5 * 3600, '5h30m'],
    [8 * 3600, '8h'],
    [47 * 3600, '47h'],
    [49 * 3600, '2d1h'],
    [8 * 86400, '8d'],
    [800 * 86400, '2y70d'],
    [9 * 365 * 86400, '9y'],
  ];
  for (const [seconds, expected] of cases) assert.equal(humanDuration(seconds * 1000), expected, `${seconds}s`);
});

function pod(status: object, spec: object = { containers: [{ name: 'a' }] }, metadata: object = {}) {
  return { metadata: { name: 'p', creationTimestamp: ago(30), ...metadata }, spec, status };
}

test('pod STATUS: the reason that explains the pod, as printPod chooses it', () => {
  const twoContainers = { containers: [{ name: 'a' }, { name: 'b' }] };
  const withInit = { initContainers: [{ name: 'init' }], containers: [{ name: 'a' }] };
  const cases: [object, [string, string, string]][] = [
    [pod({ phase: 'Pending' }), ['0/1', 'Pending', '0']],
    [
      pod(
        {
          phase: 'Running',
          containerStatuses: [
            { name: 'a', ready: true, restartCount: 3, state: { running: {} } },
            { name: 'b', ready: false, restartCount: 3, state: { running: {} } },
          ],
        },
        twoContainers,
      ),
      ['1/2', 'Running', '6'],
    ],
    [
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'init', state: { waiting: { reason: 'PodInitializing' } } }],
        },
        withInit,
      ),
      ['0/1', 'Init:0/1', '0'],
    ],
    [
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'init', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } },
          ],
        },
        withInit,
      ),
      ['0/1', 'Init:CrashLoopBackOff', '2'],
    ],
    [
      pod(
        { phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { terminated: { exitCode: 1 } } }] },
        withInit,
      ),
      ['0/1', 'Init:ExitCode:1', '0'],
    ],
    [
      pod(
        {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'init', state: { terminated: { exitCode: 2, signal: 9 } } }],
        },
        withInit,
      ),
      ['0/1', 'Init:Signal:9', '0'],
    ],
    [
      pod({
        phase: 'Running',
        containerStatuses: [{ name: 'a', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
      }),
      ['0/1', 'CrashLoopBackOff', '4'],
    ],
    [
      pod({ phase: 'Pending', containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ErrImagePull' } } }] }),
      ['0/1', 'ErrImagePull', '0'],
    ],
    [
      pod({
        phase: 'Succeeded',
        containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
      }),
      ['0/1', 'Completed', '0'],
    ],
    [
      pod(
        {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [
            { name: 'a', ready: true, state: { running: {} } },
            { name: 'b', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          ],
        },
        twoContainers,
      ),
      ['1/2', 'NotReady', '0'],
    ],
    [
      pod({ phase: 'Running', containerStatuses: [{ name: 'a', ready: true, state: { running: {} } }] }, undefined, {
        deletionTimestamp: ago(1),
      }),
      ['1/1', 'Terminating', '0'],
    ],
    [
      pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      ['0/1', 'SchedulingGated', '0'],
    ],
  ];
  for (const [p, expected] of cases) assert.deepEqual(podStatusCells(p, { nowMs }), expected, JSON.stringify(p));
});

test('pod RESTARTS says when the last restart was; sidecars count in READY', () => {
  const restarted = pod({
    phase: 'Running',
    containerStatuses: [
      {
        name: 'a',
        ready: true,
        restartCount: 2,
        state: { running: {} },
        lastState: { terminated: { finishedAt: ago(300) } },
      },
    ],
  });
  assert.deepEqual(podStatusCells(restarted, { nowMs }), ['1/1', 'Running', '2 (5m ago)']);
  const sidecar = pod(
    {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [{ name: 'proxy', ready: true, started: true, state: { running: {} } }],
      containerStatuses: [{ name: 'a', ready: true, state: { running: {} } }],
    },
    { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], containers: [{ name: 'a' }] },
  );
  assert.deepEqual(podStatusCells(sidecar, { nowMs }), ['2/2', 'Running', '0']);
});

test('the pods table: columns with wide ones at priority 1, cells in order, PartialObjectMetadata rows', () => {
  const p = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', creationTimestamp: ago(90) },
    spec: { containers: [{ name: 'a' }], nodeName: 'node-1' },
    status: {
      phase: 'Running',
      podIP: '10.0.0.5',
      containerStatuses: [{ name: 'a', ready: true, state: { running: {} } }],
    },
  };
  const table = tableOf('pods', [p], { nowMs, resourceVersion: '42' });
  assert.equal(table.kind, 'Table');
  assert.equal(table.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(table.metadata, { resourceVersion: '42' });
  assert.deepEqual(
    table.columnDefinitions.map((c) => `${c.name}:${c.priority}`),
    ['Name:0', 'Ready:0', 'Status:0', 'Restarts:0', 'Age:0', 'IP:1', 'Node:1', 'Nominated Node:1', 'Readiness Gates:1'],
  );
  assert.equal(table.columnDefinitions[0].format, 'name');
  assert.deepEqual(table.rows[0].cells, [
    'web-1',
    '1/1',
    'Running',
    '0',
    '90s',
    '10.0.0.5',
    'node-1',
    '<none>',
    '<none>',
  ]);
  assert.deepEqual(table.rows[0].object, {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: p.metadata,
  });
  assert.equal(tableOf('pods', [p], { nowMs, includeObject: 'Object' }).rows[0].object, p);
  assert.equal('object' in tableOf('pods', [p], { nowMs, includeObject: 'None' }).rows[0], false);
  assert.throws(() => includeObjectOf('All'), /includeObject: Unsupported value: "All"/);
});

test('workload rows: deployments, replicasets, statefulsets, jobs and cronjobs', () => {
  const template = {
    spec: {
      containers: [
        { name: 'web', image: 'nginx:1.27' },
        { name: 'log', image: 'busybox' },
      ],
    },
  };
  const deployment = {
    metadata: { name: 'web', creationTimestamp: ago(600) },
    spec: {
      replicas: 3,
      selector: {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }],
      },
      template,
    },
    status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };
  assert.deepEqual(printerFor('deployments.apps').cells(deployment, { nowMs }), [
    'web',
    '2/3',
    3,
    2,
    '10m',
    'web,log',
    'nginx:1.27,busybox',
    'app=web,tier in (a,b)',
  ]);
  assert.deepEqual(
    printerFor('deployments.apps').columns.map((c) => c.name),
    ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector'],
  );
  const job = {
    metadata: { name: 'once', creationTimestamp: ago(100) },
    spec: { completions: 2, template },
    status: {
      succeeded: 2,
      startTime: ago(100),
      completionTime: ago(40),
      conditions: [{ type: 'Complete', status: 'True' }],
    },
  };
  assert.deepEqual(printerFor('jobs.batch').cells(job, { nowMs }).slice(0, 5), [
    'once',
    'Complete',
    '2/2',
    '60s',
    '100s',
  ]);
  const cron = {
    metadata: { name: 'c', creationTimestamp: ago(10) },
    spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template } } },
  };
  assert.deepEqual(printerFor('cronjobs.batch').cells(cron, { nowMs }).slice(0, 7), [
    'c',
    '*/5 * * * *',
    '<none>',
    '<unset>',
    0,
    '<none>',
    '10s',
  ]);
  const sts = {
    metadata: { name: 'db', creationTimestamp: ago(5) },
    spec: { replicas: 3, template },
    status: { readyReplicas: 1 },
  };
  assert.deepEqual(printerFor('statefulsets.apps').cells(sts, { nowMs }), [
    'db',
    '1/3',
    '5s',
    'web,log',
    'nginx:1.27,busybox',
  ]);
});

test('service, endpointslice and ingress rows', () => {
  const svc = {
    metadata: { name: 'web', creationTimestamp: ago(5) },
    spec: {
      type: 'NodePort',
      clusterIP: '10.96.0.10',
      ports: [
        { port: 80, nodePort: 30080, protocol: 'TCP' },
        { port: 53, protocol: 'UDP' },
      ],
      selector: { app: 'web' },
    },
  };
  assert.deepEqual(printerFor('services').cells(svc, { nowMs }), [
    'web',
    'NodePort',
    '10.96.0.10',
    '<none>',
    '80:30080/TCP,53/UDP',
    '5s',
    'app=web',
  ]);
  const lb = { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', clusterIP: '10.96.0.11' } };
  assert.equal(printerFor('services').cells(lb, { nowMs })[3], '<pending>');
  const slice = {
    metadata: { name: 'web-abc', creationTimestamp: ago(5) },
    addressType: 'IPv4',
    ports: [{ port: 8080 }],
    endpoints: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'].map((a) => ({ addresses: [a] })),
  };
  assert.deepEqual(printerFor('endpointslices.discovery.k8s.io').cells(slice, { nowMs }), [
    'web-abc',
    'IPv4',
    '8080',
    '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...',
    '5s',
  ]);
  const ingress = {
    metadata: { name: 'ing', creationTimestamp: ago(5) },
    spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example' }, {}], tls: [{}] },
  };
  assert.deepEqual(printerFor('ingresses.networking.k8s.io').cells(ingress, { nowMs }), [
    'ing',
    'nginx',
    'a.example',
    '',
    '80, 443',
    '5s',
  ]);
});

test('node, event, claim, budget and default rows', () => {
  const node = {
    metadata: { name: 'node-1', creationTimestamp: ago(7200), labels: { 'node-role.kubernetes.io/control-plane': '' } },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'Ready', status: 'Unknown' }],
      nodeInfo: { kubeletVersion: 'v1.35.0' },
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
    },
  };
  assert.deepEqual(printerFor('nodes').cells(node, { nowMs }).slice(0, 7), [
    'node-1',
    'NotReady,SchedulingDisabled',
    'control-plane',
    '120m',
    'v1.35.0',
    '172.18.0.2',
    '<none>',
  ]);
  const event = {
    apiVersion: 'v1',
    metadata: { name: 'web-1.17f' },
    involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{web}' },
    type: 'Normal',
    reason: 'Pulled',
    message: 'Successfully pulled image "nginx"\n',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: ago(60),
    lastTimestamp: ago(20),
    count: 3,
  };
  assert.deepEqual(printerFor('events').cells(event, { nowMs }), [
    '20s',
    'Normal',
    'Pulled',
    'pod/web-1',
    'spec.containers{web}',
    'kubelet, node-1',
    'Successfully pulled image "nginx"',
    '60s',
    3,
    'web-1.17f',
  ]);
  const newEvent = {
    apiVersion: 'events.k8s.io/v1',
    metadata: { name: 'e' },
    regarding: { kind: 'Deployment', name: 'web' },
    type: 'Normal',
    reason: 'ScalingReplicaSet',
    note: 'Scaled up',
    reportingController: 'deployment-controller',
    eventTime: ago(4),
  };
  assert.deepEqual(printerFor('events.events.k8s.io').cells(newEvent, { nowMs }).slice(0, 7), [
    '4s',
    'Normal',
    'ScalingReplicaSet',
    'deployment/web',
    '',
    'deployment-controller',
    'Scaled up',
  ]);
  const pvc = {
    metadata: { name: 'data', creationTimestamp: ago(5), deletionTimestamp: ago(1) },
    spec: { volumeName: 'pv-1', storageClassName: 'standard' },
    status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] },
  };
  assert.deepEqual(printerFor('persistentvolumeclaims').cells(pvc, { nowMs }), [
    'data',
    'Terminating',
    'pv-1',
    '1Gi',
    'RWO,ROX',
    'standard',
    '<unset>',
    '5s',
    '<unset>',
  ]);
  const pdb = {
    metadata: { name: 'b', creationTimestamp: ago(5) },
    spec: { minAvailable: 2 },
    status: { disruptionsAllowed: 1 },
  };
  assert.deepEqual(printerFor('poddisruptionbudgets.policy').cells(pdb, { nowMs }), ['b', '2', 'N/A', 1, '5s']);
  const lease = { metadata: { name: 'l', creationTimestamp: ago(3) } };
  assert.deepEqual(
    tableOf('leases.coordination.k8s.io', [lease], { nowMs }).columnDefinitions.map((c) => c.name),
    ['Name', 'Age'],
  );
  assert.deepEqual(printerFor('leases.coordination.k8s.io').cells(lease, { nowMs }), ['l', '3s']);
});

test('Accept negotiation: a Table only when the first served range asks for meta.k8s.io/v1 Table', () => {
  assert.equal(
    acceptsTable(
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
    ),
    true,
  );
  assert.equal(acceptsTable('application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'), false);
  assert.equal(acceptsTable('application/json'), false);
  assert.equal(acceptsTable('application/yaml, application/json;as=Table;g=meta.k8s.io;v=v1'), true);
  assert.equal(acceptsTable(undefined), false);
});
