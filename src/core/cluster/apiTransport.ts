// Requests to a real apiserver over HTTPS (or HTTP, for a local test server), with the TLS and
// authentication options a kubeconfig gives: `prepare` is called before every request, so that
// an exec plugin's or a token file's credentials are refreshed as client-node refreshes them.
// It answers with the HTTP code, the headers (the apiserver's Warning headers among them) and
// the body, parsed when it is JSON; watches are streamed one JSON object per line. Nothing here
// imports client-node: the kubeconfig bundle hands in `prepare`.
import * as http from 'node:http';
import * as https from 'node:https';

export interface ApiResponse {
  readonly code: number;
  readonly headers: http.IncomingHttpHeaders;
  /** Parsed JSON, or the text when the body is not JSON ('' when empty). */
  readonly body: unknown;
}

export interface RequestInput {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path with its query: `/api/v1/namespaces/default/pods?watch=1`. */
  readonly path: string;
  readonly body?: unknown;
  readonly contentType?: string;
}

export interface WatchStreamHandlers {
  readonly onEvent: (type: string, object: unknown) => void;
  /** Once: undefined when the server ended the stream, else the failure (with the HTTP code when there was one). */
  readonly onClose: (failure: { readonly code?: number; readonly message: string } | undefined) => void;
}

export interface ApiTransport {
  request(input: RequestInput): Promise<ApiResponse>;
  stream(path: string, handlers: WatchStreamHandlers): { abort(): void };
}

/** The largest body a response may have: a bound on what a broken server can make podtrace hold. */
const maxBodyBytes = 64 * 1024 * 1024;

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return '';
  if (contentType?.includes('json') || text.startsWith('{')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * A transport to `server` (`https://127.0.0.1:6443`, with a path prefix if the kubeconfig has
 * one), with the options `prepare` gives each request (ca, cert, key, Authorization header).
 */
export function httpTransport(server: string, prepare: () => Promise<https.RequestOptions>): ApiTransport {
  const base = new URL(server);
  const prefix = base.pathname.replace(/\/$/, '');
  const send = async (method: string, path: string, headers: Record<string, string>) => {
    const options = await prepare();
    const url = new URL(prefix + path, base);
    const lib = url.protocol === 'http:' ? http : https;
    const request = lib.request(url, {
      ...options,
      method,
      headers: { ...(options.headers as Record<string, string> | undefined), ...headers },
    });
    return request;
  };
  return {
    async request(input) {
      const payload = input.body === undefined ? undefined : JSON.stringify(input.body);
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (payload !== undefined) {
        headers['Content-Type'] = input.contentType ?? 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(payload));
      }
      const request = await send(input.method, input.path, headers);
      return new Promise<ApiResponse>((resolve, reject) => {
        request.on('error', reject);
        request.on('response', (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBodyBytes) {
              request.destroy(new Error(`${input.method} ${input.path}: the answer is over ${maxBodyBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', reject);
          response.on('end', () =>
            resolve({
              code: response.statusCode ?? 0,
              headers: response.headers,
              body: parseBody(Buffer.concat(chunks).toString('utf8'), response.headers['content-type']),
            }),
          );
        });
        request.end(payload);
      });
    },
    stream(path, handlers) {
      let closed = false;
      let request: http.ClientRequest | undefined;
      const close = (failure: { code?: number; message: string } | undefined) => {
        if (closed) return;
        closed = true;
        request?.destroy();
        handlers.onClose(failure);
      };
      send('GET', path, { Accept: 'application/json' }).then(
        (r) => {
          request = r;
          if (closed) return void r.destroy();
          r.on('error', (error) => close({ message: error.message }));
          r.on('response', (response) => {
            if ((response.statusCode ?? 0) >= 300) {
              const chunks: Buffer[] = [];
              response.on('data', (c: Buffer) => chunks.push(c));
              response.on('end', () => {
                const body = parseBody(Buffer.concat(chunks).toString('utf8'), response.headers['content-type']);
                const message =
                  typeof body === 'object' && body !== null && 'message' in body ? String(body.message) : String(body);
                close({ code: response.statusCode, message });
              });
              return;
            }
            let buffered = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => {
              buffered += chunk;
              for (let nl = buffered.indexOf('\n'); nl >= 0 && !closed; nl = buffered.indexOf('\n')) {
                const line = buffered.slice(0, nl).trim();
                buffered = buffered.slice(nl + 1);
                if (line === '') continue;
                let parsed: unknown;
                try {
                  parsed = JSON.parse(line);
                } catch {
                  close({ message: `watch ${path}: expected a JSON watch event per line, got ${line.slice(0, 200)}` });
                  return;
                }
                const event = parsed as { type?: unknown; object?: unknown };
                handlers.onEvent(String(event.type), event.object);
              }
            });
            response.on('error', (error) => close({ message: error.message }));
            response.on('end', () => close(undefined));
          });
          r.end();
        },
        (error: unknown) => close({ message: error instanceof Error ? error.message : String(error) }),
      );
      return {
        abort: () => {
          closed = true;
          request?.destroy();
        },
      };
    },
  };
}
