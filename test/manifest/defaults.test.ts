// applyDefaults mirrors the apiserver's SetDefaults_* functions; these tests pin the
// defaults that change validation verdicts and the ones the simulator relies on.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyDefaults, imageTag } from '../../src/core/manifest/base/defaults';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads defaulted fields at any depth.
type Any = Record<string, any>;

const deployment = (): Any => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            ports: [{ containerPort: 80 }],
            readinessProbe: { httpGet: { port: 80 } },
            resources: { limits: { cpu: '1' } },
          },
        ],
      },
    },
  },
});

test('defaulting returns a new object and leaves its input alone', () => {
  const input = deployment();
  const before = JSON.stringify(input);
  const out = applyDefaults(input);
  assert.notEqual(out, input);
  assert.equal(JSON.stringify(input), before);
});

test('a Deployment gets replicas, a 25%/25% rolling update, history and deadline', () => {
  const spec = applyDefaults(deployment()).spec;
  assert.equal(spec.replicas, 1);
  assert.deepEqual(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(spec.revisionHistoryLimit, 10);
  assert.equal(spec.progressDeadlineSeconds, 600);
});

test('a Recreate strategy gets no rollingUpdate', () => {
  const input = deployment();
  input.spec.strategy = { type: 'Recreate' };
  assert.deepEqual(applyDefaults(input).spec.strategy, { type: 'Recreate' });
});

test('pod templates get the pod spec, container, port and probe defaults', () => {
  const pod = applyDefaults(deployment()).spec.template.spec;
  assert.equal(pod.restartPolicy, 'Always');
  assert.equal(pod.dnsPolicy, 'ClusterFirst');
  assert.equal(pod.terminationGracePeriodSeconds, 30);
  assert.equal(pod.schedulerName, 'default-scheduler');
  assert.deepEqual(pod.securityContext, {});
  const c = pod.containers[0];
  assert.equal(c.imagePullPolicy, 'IfNotPresent');
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.equal(c.terminationMessagePolicy, 'File');
  assert.equal(c.ports[0].protocol, 'TCP');
  assert.deepEqual(c.readinessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  // Requests default from limits only for Pods (SetDefaults_Pod), not for templates.
  assert.equal(c.resources.requests, undefined);
});

test('a Pod copies limits into missing requests and keeps the requests it has', () => {
  const pod = applyDefaults<Any>({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: {
      containers: [
        { name: 'a', image: 'a', resources: { requests: { memory: '64Mi' }, limits: { cpu: '2', memory: '128Mi' } } },
      ],
    },
  });
  assert.deepEqual(pod.spec.containers[0].resources.requests, { memory: '64Mi', cpu: '2' });
});

test('imagePullPolicy follows the tag: Always for latest or no tag, IfNotPresent otherwise', () => {
  assert.equal(imageTag('nginx'), 'latest');
  assert.equal(imageTag('nginx:latest'), 'latest');
  assert.equal(imageTag('registry.example.com:5000/team/app'), 'latest');
  assert.equal(imageTag('registry.example.com:5000/team/app:1.2'), '1.2');
  assert.equal(imageTag('app@sha256:abc'), '');
  const pod = (image: string) =>
    applyDefaults<Any>({ apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a', image }] } }).spec
      .containers[0].imagePullPolicy;
  assert.equal(pod('nginx'), 'Always');
  assert.equal(pod('nginx:latest'), 'Always');
  assert.equal(pod('nginx:1.27'), 'IfNotPresent');
  assert.equal(pod('nginx@sha256:0123'), 'IfNotPresent');
});

test('a Job without restartPolicy gets Always (which its validation then rejects) and its counts', () => {
  const job = applyDefaults<Any>({
    apiVersion: 'batch/v1',
    kind: 'Job',
    spec: { template: { spec: { containers: [{ name: 'a', image: 'a' }] } } },
  });
  assert.equal(job.spec.template.spec.restartPolicy, 'Always');
  assert.equal(job.spec.completions, 1);
  assert.equal(job.spec.parallelism, 1);
  assert.equal(job.spec.backoffLimit, 6);
  assert.equal(job.spec.completionMode, 'NonIndexed');
  assert.equal(job.spec.suspend, false);
  const parallel = applyDefaults<Any>({ apiVersion: 'batch/v1', kind: 'Job', spec: { parallelism: 3, template: {} } });
  assert.equal(parallel.spec.completions, undefined);
});

test('a Service gets ClusterIP, no affinity, TCP, and targetPort = port', () => {
  const svc = applyDefaults<Any>({
    apiVersion: 'v1',
    kind: 'Service',
    spec: { ports: [{ port: 80 }, { port: 443, targetPort: 'https' }] },
  });
  assert.equal(svc.spec.type, 'ClusterIP');
  assert.equal(svc.spec.sessionAffinity, 'None');
  assert.equal(svc.spec.internalTrafficPolicy, 'Cluster');
  assert.equal(svc.spec.externalTrafficPolicy, undefined);
  assert.deepEqual(svc.spec.ports, [
    { port: 80, protocol: 'TCP', targetPort: 80 },
    { port: 443, targetPort: 'https', protocol: 'TCP' },
  ]);
  const lb = applyDefaults<Any>({
    apiVersion: 'v1',
    kind: 'Service',
    spec: { type: 'LoadBalancer', ports: [{ port: 80 }] },
  });
  assert.equal(lb.spec.externalTrafficPolicy, 'Cluster');
  assert.equal(lb.spec.allocateLoadBalancerNodePorts, true);
});

test('StatefulSet, DaemonSet and CronJob defaults', () => {
  const sts = applyDefaults<Any>({ apiVersion: 'apps/v1', kind: 'StatefulSet', spec: { template: { spec: {} } } }).spec;
  assert.equal(sts.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(sts.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.equal(sts.replicas, 1);
  const ds = applyDefaults<Any>({ apiVersion: 'apps/v1', kind: 'DaemonSet', spec: { template: { spec: {} } } }).spec;
  assert.deepEqual(ds.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  const cron = applyDefaults<Any>({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    spec: { jobTemplate: { spec: { template: { spec: {} } } } },
  }).spec;
  assert.equal(cron.concurrencyPolicy, 'Allow');
  assert.equal(cron.successfulJobsHistoryLimit, 3);
  assert.equal(cron.failedJobsHistoryLimit, 1);
  assert.equal(cron.jobTemplate.spec.template.spec.restartPolicy, 'Always');
});

test('unknown kinds and non-objects come back as copies', () => {
  const cr = { apiVersion: 'example.com/v1', kind: 'Widget', spec: { size: 1 } };
  assert.deepEqual(applyDefaults(cr), cr);
  assert.equal(applyDefaults(null), null);
  assert.equal(applyDefaults('text'), 'text');
});

test('a volume that names no source becomes an emptyDir; one with a source keeps it', () => {
  const pod = applyDefaults<Any>({
    apiVersion: 'v1',
    kind: 'Pod',
    spec: { volumes: [{ name: 'a' }, { name: 'b', secret: { secretName: 's' } }] },
  });
  assert.deepEqual(pod.spec.volumes, [
    { name: 'a', emptyDir: {} },
    { name: 'b', secret: { secretName: 's', defaultMode: 420 } },
  ]);
});

test('a ReplicationController without a selector takes its template labels', () => {
  const rc = applyDefaults<Any>({
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'r' },
    spec: { template: { metadata: { labels: { app: 'r' } }, spec: {} } },
  });
  assert.deepEqual(rc.spec.selector, { app: 'r' });
  assert.deepEqual(rc.metadata.labels, { app: 'r' });
  assert.equal(rc.spec.replicas, 1);
});

test('deep parts of the input stay untouched when defaults land inside them', () => {
  const input = deployment();
  const container = input.spec.template.spec.containers[0];
  const before = JSON.stringify(input);
  const out = applyDefaults(input);
  assert.equal(JSON.stringify(input), before);
  assert.notEqual(out.spec.template.spec.containers[0], container);
  assert.equal(container.imagePullPolicy, undefined);
  assert.equal(container.readinessProbe.periodSeconds, undefined);
});

test('values of the wrong type are left for the schema layer, without throwing', () => {
  const odd = applyDefaults<Any>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    spec: { strategy: 'fast', template: { spec: { containers: 'web' } } },
  });
  assert.equal(odd.spec.strategy, 'fast');
  const svc = applyDefaults<Any>({
    apiVersion: 'v1',
    kind: 'Service',
    spec: { sessionAffinity: 'ClientIP', sessionAffinityConfig: 3 },
  });
  assert.equal(svc.spec.sessionAffinityConfig, 3);
});
