// One ClusterTarget contract (targetContract.ts), run against the embedded simulator in process
// and against a kubeconfig context pointed at `podtrace serve` (started on port 0 with its
// kubeconfig in a temp dir) through the kubeconfig bundle and client-node; and the timeline of
// one manifest on both has the same lanes, reasons and pod phases, for what a real cluster lets
// one observe (its Events, object writes, pod status, EndpointSlices).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { InProcessTarget } from '../../src/core/cluster/inProcessTarget';
import { loadKubeClient } from '../../src/core/cluster/kubeClientLoader';
import { kubeconfigText } from '../../src/core/server/kubeconfig';
import { systemWall } from '../../src/core/server/liveCluster';
import { PodtraceServer } from '../../src/core/server/podtraceServer';
import type { TraceEvent } from '../../src/core/trace/model/traceEvent';
import { repoRoot } from '../trace/traceInputs';
import { checkContract, type ContractTrace } from './targetContract';

let inProcess: ContractTrace | undefined;
let kubeconfig: ContractTrace | undefined;

test('the contract holds for the embedded simulator in process', async () => {
  const target = new InProcessTarget({ seed: 1, version: '1.35', nodes: 2, speed: 50, wall: systemWall });
  inProcess = await checkContract(target, 'simulator');
});

test('the contract holds for a kubeconfig context pointed at podtrace serve', async () => {
  const log: string[] = [];
  const server = await PodtraceServer.start({
    port: 0,
    nodes: 2,
    seed: 1,
    speed: 50,
    version: '1.35',
    log: (line) => log.push(line),
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-contract-'));
  try {
    const file = path.join(dir, 'config');
    fs.writeFileSync(
      file,
      kubeconfigText({ server: server.url, caPem: server.credentials.caPem, token: server.token }),
    );
    const client = loadKubeClient(path.join(repoRoot, 'dist/kubeClient.js'));
    const target = await client.openKubeconfigTarget({ file });
    assert.equal(target.describe().context, 'podtrace-sim');
    assert.equal(target.describe().server, server.url);
    kubeconfig = await checkContract(target, 'kubeconfig');
    assert.ok(!log.join('\n').includes(server.token), 'the token is in no log line');
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** What a real cluster lets one see: object writes, status patches and slices podtrace reads, and Events. */
const inferred = new Set(['etcd Stored', 'etcd Deleted', 'kubelet StatusPatched', 'endpoints EndpointSliceUpdated']);

function observable(events: readonly TraceEvent[], eventReasons: ReadonlySet<string>): string[] {
  const kinds = events
    .filter((e) => inferred.has(`${e.lane} ${e.reason}`) || eventReasons.has(e.reason))
    .map((e) => `${e.lane} ${e.reason} ${e.object.kind}`);
  return [...new Set(kinds)].sort();
}

function phaseSets(trace: ContractTrace): string[] {
  return [...trace.pods.values()]
    .map((p) =>
      Object.entries(p.phases)
        .filter(([, t]) => t !== null)
        .map(([phase]) => phase)
        .join(','),
    )
    .sort();
}

test('one manifest has the same lanes, reasons and pod phases on both targets', () => {
  assert.ok(inProcess && kubeconfig, 'both contract runs finished');
  const eventReasons = new Set(kubeconfig.events.filter((e) => e.observed !== false).map((e) => e.reason));
  const seen = observable(kubeconfig.events, eventReasons);
  for (const expected of [
    'scheduler Scheduled Pod',
    'kubelet StatusPatched Pod',
    'endpoints EndpointSliceUpdated Service',
  ])
    assert.ok(seen.includes(expected), `expected ${expected} among ${seen.join(', ')}`);
  assert.deepEqual(seen, observable(inProcess.events, eventReasons));
  assert.deepEqual(phaseSets(kubeconfig), phaseSets(inProcess));
});
