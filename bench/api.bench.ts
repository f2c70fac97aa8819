// `podtrace serve` as a Kubernetes API under load, measured from the outside with the official
// JavaScript client (@kubernetes/client-node 1.4), the way a tool or controller would use it:
// - creates per second: ConfigMaps created over HTTPS by 8 concurrent clients, each on its own
//   kept-alive TLS connection (8 sockets in all), after a warm-up;
// - watch delivery: 50 concurrent watches of the namespace's ConfigMaps, then writes one at a
//   time; for each write and each watcher, the delay from sending the write to the watcher
//   receiving its ADDED event, and from the write's response to that event.
// The server runs as its own process (`node dist/cli.js serve --port 0`). The simulated apiserver
// answers a create after the default profile's request and etcd latencies (p50 3 + 2 ms, as a
// small real cluster): with 8 connections that alone bounds a run at speed 1 near 1,000 creates
// per second, whatever the server costs. So creates are measured twice: at speed 100, where the
// simulated latency is scaled away and the figure is podtrace's own cost per request, and at
// speed 1, as a client sees a served cluster by default. Watch delivery is measured at speed 1.
// Prints one JSON object.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as k8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

const root = path.resolve(__dirname, '../..');
const creates = Number(process.env.BENCH_CREATES ?? 4000);
const concurrency = 8;
const watchers = 50;
const watchedWrites = Number(process.env.BENCH_WATCHED_WRITES ?? 200);

type ClientNode = typeof k8s;

/** Starts `podtrace serve` and resolves with its URL once it listens. */
function startServer(kubeconfig: string, speed: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'dist/cli.js'),
      'serve',
      '--port',
      '0',
      '--nodes',
      '3',
      '--speed',
      String(speed),
      '--kubeconfig',
      kubeconfig,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`podtrace serve did not start in 30 s: ${out}`)), 30_000);
    child.stdout!.on('data', (data: Buffer) => {
      out += data.toString();
      const url = /https:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0];
      if (url && fs.existsSync(kubeconfig)) {
        clearTimeout(timer);
        resolve({ child, url });
      }
    });
    child.stderr!.on('data', (data: Buffer) => (out += data.toString()));
    child.once('exit', (code) => reject(new Error(`podtrace serve exited with ${code}: ${out}`)));
  });
}

/**
 * client-node makes a new agent (so a new TLS connection) per request; a client that cares
 * about throughput shares one kept-alive agent. This KubeConfig hands out one agent with at
 * most `sockets` connections, with the CA and token of the kubeconfig as client-node reads them.
 */
async function pooledConfig(lib: ClientNode, file: string, sockets: number): Promise<k8s.KubeConfig> {
  const kc = new lib.KubeConfig();
  kc.loadFromFile(file);
  const options: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(options);
  const agent = new https.Agent({ keepAlive: true, maxSockets: sockets, ca: options.ca });
  (kc as unknown as { createAgent: () => https.Agent }).createAgent = () => agent;
  return kc;
}

function configMap(name: string): k8s.V1ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { key: 'value' } };
}

async function createMany(api: k8s.CoreV1Api, prefix: string, count: number): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await api.createNamespacedConfigMap({ namespace: 'default', body: configMap(`${prefix}-${i}`) });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round = (x: number) => Math.round(x * 100) / 100;

/** Creates per second against a server of its own at `speed`, after a warm-up. */
async function createsPerSecond(lib: ClientNode, file: string, speed: number): Promise<number> {
  const { child } = await startServer(file, speed);
  try {
    const api = (await pooledConfig(lib, file, concurrency)).makeApiClient(lib.CoreV1Api);
    await createMany(api, 'warm', 400);
    return Math.round(creates / ((await createMany(api, 'cm', creates)) / 1000));
  } finally {
    child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  const lib = (await import('@kubernetes/client-node')) as ClientNode;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-bench-api-'));
  const fast = await createsPerSecond(lib, path.join(dir, 'kubeconfig-fast'), 100);
  const file = path.join(dir, 'kubeconfig');
  const { child } = await startServer(file, 1);
  try {
    const kc = await pooledConfig(lib, file, concurrency);
    const api = kc.makeApiClient(lib.CoreV1Api);
    await createMany(api, 'warm', 400);
    const createMs = await createMany(api, 'cm', creates);

    // 50 watches, each on its own connection (a watch holds its connection open).
    const watchKc = new lib.KubeConfig();
    watchKc.loadFromFile(file);
    const list = await api.listNamespacedConfigMap({ namespace: 'default', limit: 1 });
    const from = list.metadata?.resourceVersion;
    const sent = new Map<string, { sent: number; answered: number }>();
    const fromSend: number[] = [];
    const fromAnswer: number[] = [];
    let received = 0;
    let allReceived: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allReceived = resolve));
    const aborts: AbortController[] = [];
    for (let w = 0; w < watchers; w++) {
      const watch = new lib.Watch(watchKc);
      aborts.push(
        await watch.watch(
          '/api/v1/namespaces/default/configmaps',
          { resourceVersion: from, allowWatchBookmarks: false },
          (phase: string, object: k8s.V1ConfigMap) => {
            const at = performance.now();
            const write = sent.get(object.metadata?.name ?? '');
            if (phase !== 'ADDED' || !write) return;
            fromSend.push(at - write.sent);
            // A delivery can beat the write's own response to the writer.
            fromAnswer.push(Math.max(0, at - (write.answered || at)));
            if (++received === watchers * watchedWrites) allReceived();
          },
          () => undefined,
        ),
      );
    }
    for (let i = 0; i < watchedWrites; i++) {
      const name = `lat-${i}`;
      const record = { sent: performance.now(), answered: 0 };
      sent.set(name, record);
      await api.createNamespacedConfigMap({ namespace: 'default', body: configMap(name) });
      record.answered = performance.now();
    }
    const timeout = new Promise<void>((_, reject) =>
      setTimeout(() => reject(new Error(`only ${received} of ${watchers * watchedWrites} deliveries in 30 s`)), 30_000),
    );
    await Promise.race([done, timeout]);
    for (const abort of aborts) abort.abort();
    process.stdout.write(
      JSON.stringify({
        benchmark: 'api',
        client: '@kubernetes/client-node 1.4',
        creates,
        concurrentConnections: concurrency,
        createsPerSecond: fast,
        createsPerSecondAtSpeed1: Math.round(creates / (createMs / 1000)),
        watchers,
        watchedWrites,
        deliveries: fromSend.length,
        writeToDeliveryMs: { p50: round(percentile(fromSend, 50)), p99: round(percentile(fromSend, 99)) },
        responseToDeliveryMs: { p50: round(percentile(fromAnswer, 50)), p99: round(percentile(fromAnswer, 99)) },
      }) + '\n',
    );
  } finally {
    child.kill('SIGTERM');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench api: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
