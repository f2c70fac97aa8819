// Starts a podtrace server in process for a test and makes HTTPS requests to it with node:https,
// trusting only the server's own CA, as kubectl does with the kubeconfig it writes.
import * as https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { PodtraceServer, type ServeOptions } from '../../src/core/server/podtraceServer';

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: Record<string, unknown> & { [key: string]: unknown };
}

export interface RequestOptions {
  readonly body?: string | Buffer | object;
  readonly contentType?: string;
  readonly accept?: string;
  /** The bearer token; the server's own by default, `null` for none. */
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
}

export interface Harness {
  readonly server: PodtraceServer;
  readonly log: string[];
  request(method: string, path: string, options?: RequestOptions): Promise<Reply>;
  /** Opens a request and returns it before the answer, for streams (watch, follow). */
  open(
    path: string,
    options?: RequestOptions,
  ): Promise<{ request: import('node:http').ClientRequest; response: import('node:http').IncomingMessage }>;
  stop(): Promise<void>;
}

export async function startServer(options: Partial<ServeOptions> = {}): Promise<Harness> {
  const log: string[] = [];
  const server = await PodtraceServer.start({
    port: 0,
    nodes: 2,
    seed: 1,
    speed: 50,
    version: '1.35',
    log: (line) => log.push(line),
    ...options,
  });
  const bodyOf = (body: RequestOptions['body']): string | Buffer | undefined =>
    body === undefined || typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const requestOptions = (method: string, path: string, o: RequestOptions): https.RequestOptions => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    const token = o.token === undefined ? server.token : o.token;
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    if (o.accept) headers.Accept = o.accept;
    const body = bodyOf(o.body);
    if (body !== undefined) {
      headers['Content-Type'] = o.contentType ?? 'application/json';
      // Node sends a DELETE's body without chunking: its length must be said.
      if (!headers['Transfer-Encoding']) headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    return { host: '127.0.0.1', port: server.port, method, path, ca: server.credentials.caPem, headers, agent: false };
  };
  return {
    server,
    log,
    request(method, path, o = {}) {
      return new Promise((resolve, reject) => {
        const request = https.request(requestOptions(method, path, o), (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: Reply['json'];
            try {
              json = JSON.parse(text) as Reply['json'];
            } catch {
              json = undefined as unknown as Reply['json'];
            }
            resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
          });
        });
        request.on('error', reject);
        const body = bodyOf(o.body);
        if (body !== undefined) request.write(body);
        request.end();
      });
    },
    open(path, o = {}) {
      return new Promise((resolve, reject) => {
        const request = https.request(requestOptions('GET', path, o), (response) => resolve({ request, response }));
        request.on('error', reject);
        request.end();
      });
    },
    stop: () => server.stop(),
  };
}

/** Reads JSON lines from a watch stream until `done` says enough or `timeoutMs` passes. */
export function readLines(
  response: import('node:http').IncomingMessage,
  done: (lines: Record<string, unknown>[]) => boolean,
  timeoutMs = 10_000,
): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const lines: Record<string, unknown>[] = [];
    let buffer = '';
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `watch: expected more events within ${timeoutMs} ms, got ${JSON.stringify(lines.map((l) => l.type))}`,
          ),
        ),
      timeoutMs,
    );
    const finish = () => {
      clearTimeout(timer);
      response.removeListener('data', onData);
      resolve(lines);
    };
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let at: number;
      while ((at = buffer.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buffer.slice(0, at)) as Record<string, unknown>);
        buffer = buffer.slice(at + 1);
        if (done(lines)) return finish();
      }
    };
    response.on('data', onData);
    response.on('end', finish);
  });
}

/** Waits until `check` holds, polling every 20 ms, or fails saying `what`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`expected ${what} within ${timeoutMs} ms`);
}

export const configMap = (
  name: string,
  data: Record<string, string> = { a: '1' },
  labels?: Record<string, string>,
) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

export const deployment = (name: string, replicas = 2) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] },
    },
  },
});
