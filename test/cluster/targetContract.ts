// The ClusterTarget contract, one suite for every implementation: apply answers per object
// (created, unchanged, configured; 422 with causes; 400 for an unknown field under Strict, a
// warning under Warn; 404 for a kind the server lacks), a dry run
// stores nothing, the trace stream follows the objects until their pods are ready and in
// endpoints, delete removes them (404 once gone), and a closed target refuses work. It returns
// what the stream showed, so that the traces of two targets can be compared.
import * as assert from 'node:assert/strict';
import type { ClusterTarget, ClusterTargetKind, TargetTraceStep } from '../../src/core/cluster/clusterTarget';
import type { KubeObject } from '../../src/core/sim/store/objects';
import type { TraceEvent } from '../../src/core/trace/model/traceEvent';
import type { PodSummary } from '../../src/core/trace/podSummary';
import type { OwnerLineage } from '../../src/core/trace/sourceMapping';
import { appObjects, scaledObjects } from './appManifest';

export interface ContractTrace {
  readonly events: readonly TraceEvent[];
  readonly pods: ReadonlyMap<string, PodSummary>;
  readonly lineage: OwnerLineage;
}

/** Waits, polling every 20 ms, until `done` holds; fails after `timeoutMs` saying what it waited for. */
export async function eventually(what: string, done: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > timeoutMs) throw new Error(`expected ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function operations(outcomes: readonly { ok: boolean; operation?: string; status?: { code: number } }[]): string[] {
  return outcomes.map((o) => (o.ok ? String(o.operation) : `failed ${o.status?.code}`));
}

export async function checkContract(target: ClusterTarget, kind: ClusterTargetKind): Promise<ContractTrace> {
  assert.equal(target.describe().kind, kind);
  const steps: TargetTraceStep[] = [];
  const pods = new Map<string, PodSummary>();
  const stream = target.trace(
    { objects: appObjects() },
    {
      onStep: (s) => {
        steps.push(s);
        for (const p of s.pods) pods.set(p.uid, p);
      },
      onEnd: (end) => assert.notEqual(end.reason, 'failed', JSON.stringify(end)),
    },
  );
  const created = await target.apply(appObjects());
  assert.deepEqual(operations(created), ['created', 'created', 'created']);
  for (const o of created) assert.ok(o.ok && o.object.metadata.uid, 'the stored object has a uid');
  await eventually('two pods ready and in endpoints', () => {
    const all = [...pods.values()];
    return all.length === 2 && all.every((p) => p.phases.ready !== null && p.phases.inEndpoints !== null);
  });
  // The writes that follow readiness (the Deployment's status, the last slice update) come in too.
  await new Promise((resolve) => setTimeout(resolve, 500));
  stream.stop();
  const events = steps.flatMap((s) => s.events);
  assert.deepEqual(
    events.map((e) => e.id),
    events.map((_, i) => i),
    'ids from 0, consecutive',
  );
  const reasons = new Set(events.map((e) => `${e.lane} ${e.reason}`));
  for (const r of ['scheduler Scheduled', 'cri Started', 'controller-manager SuccessfulCreate', 'etcd Stored'])
    assert.ok(reasons.has(r), `expected ${r} among ${[...reasons].join(', ')}`);
  for (const p of pods.values()) {
    const rs = stream.lineage.get(stream.lineage.get(p.uid)?.owner ?? '');
    assert.equal(rs?.kind, 'ReplicaSet', `${p.name} is owned by a ReplicaSet`);
    assert.equal(stream.lineage.get(rs?.owner ?? '')?.name, 'web', `${p.name}'s ReplicaSet is the Deployment's`);
  }
  const trace = { events, pods: new Map(pods), lineage: stream.lineage };

  assert.deepEqual(operations(await target.apply(appObjects())), ['unchanged', 'unchanged', 'unchanged']);
  assert.deepEqual(operations(await target.apply(scaledObjects(3))), ['unchanged', 'configured', 'unchanged']);

  const bad: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'Bad_Name' },
    data: { a: 'b' },
  };
  const [refused] = await target.dryRun([bad]);
  assert.ok(!refused.ok, 'an invalid name is refused');
  assert.equal(refused.status.code, 422);
  assert.equal(refused.status.reason, 'Invalid');
  assert.ok(
    refused.status.causes.some((c) => c.field === 'metadata.name'),
    `a cause names metadata.name: ${JSON.stringify(refused.status.causes)}`,
  );
  // An unknown field: server-side apply cannot type the configuration, whatever the
  // fieldValidation, and the apiserver answers 500 "failed to create typed patch object".
  const web = appObjects()[1];
  const typo: KubeObject = { ...web, spec: { ...(web.spec as Record<string, unknown>), replicaz: 2 } };
  for (const fieldValidation of ['Strict', 'Warn'] as const) {
    const [refusedTypo] = await target.dryRun([typo], { fieldValidation });
    assert.ok(!refusedTypo.ok, `an unknown field is refused under ${fieldValidation}`);
    assert.equal(refusedTypo.status.code, 500);
    assert.match(
      refusedTypo.status.message,
      /failed to create typed patch object .*\.spec\.replicaz: field not declared in schema/,
    );
  }
  const onlyDry: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'only-dry' }, data: {} };
  assert.deepEqual(operations(await target.dryRun([onlyDry])), ['created']);
  assert.deepEqual(operations(await target.delete([onlyDry])), ['failed 404'], 'the dry run stored nothing');

  const [unknown] = await target.apply([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]);
  assert.ok(!unknown.ok);
  assert.equal(unknown.status.code, 404);
  assert.match(unknown.status.message, /no matches for kind "Widget" in version "example.com\/v1"/);

  assert.deepEqual(operations(await target.delete(appObjects(), { gracePeriodSeconds: 1 })), [
    'deleted',
    'deleted',
    'deleted',
  ]);
  assert.deepEqual(operations(await target.delete([appObjects()[0]])), ['failed 404']);
  await target.close();
  await assert.rejects(target.apply(appObjects()));
  return trace;
}
