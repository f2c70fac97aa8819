// `podtrace serve`'s server: HTTPS on 127.0.0.1 only, with a certificate made at start and a
// bearer token, in front of one paced simulated cluster. Every request is authenticated, then
// served by the non-resource paths (version, health, discovery, OpenAPI) or the resource router.
// The request log has the method, path, status and time, never a header: the token stays out.
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { authorized, makeToken } from './auth';
import { LiveCluster, type LiveClusterOptions } from './liveCluster';
import { isPublicPath, serveNonResource } from './nonResource';
import { parseResourcePath } from './requestPath';
import { sendError } from './respond';
import { defaultHooks, routeResource, type RouterHooks } from './router';
import { internalError, isServedError, unauthorized, unknownPath } from './status';
import { makeServingCredentials, type ServingCredentials } from './tls/certificates';
import { WatchRegistry } from './watch';

/** The only address the server listens on: the API is for this machine's clients alone. */
export const serveHost = '127.0.0.1';

export interface ServeOptions extends LiveClusterOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** One line per request and per problem; never given a header or the token. */
  readonly log?: (line: string) => void;
  readonly hooks?: RouterHooks;
}

/** The user every authenticated request runs as, as kubeadm's admin kubeconfig is. */
const adminUser = 'kubernetes-admin';

export class PodtraceServer {
  readonly live: LiveCluster;
  readonly token = makeToken();
  readonly credentials: ServingCredentials = makeServingCredentials();
  private readonly server: https.Server;
  private readonly sockets = new Set<Socket>();
  private readonly watches = new WatchRegistry();
  private readonly hooks: RouterHooks;
  private readonly log: (line: string) => void;
  private address = '';
  private readonly connectionIds = new WeakMap<Socket, string>();
  private connectionCount = 0;

  private constructor(private readonly options: ServeOptions) {
    this.live = new LiveCluster(options);
    this.hooks = options.hooks ?? defaultHooks;
    this.log = options.log ?? (() => undefined);
    this.server = https.createServer(
      { key: this.credentials.keyPem, cert: this.credentials.certPem, minVersion: 'TLSv1.2' },
      (request, response) => void this.handle(request, response),
    );
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    // Requests name their connection by its TLS socket (what request.socket is).
    this.server.on('secureConnection', (socket: Socket) =>
      this.connectionIds.set(socket, `connection-${++this.connectionCount}`),
    );
    this.server.on('tlsClientError', (error) => this.log(`TLS handshake failed: ${error.message}`));
  }

  /** Starts a server; rejects with the listen error (a port in use) in plain words. */
  static start(options: ServeOptions): Promise<PodtraceServer> {
    const server = new PodtraceServer(options);
    return new Promise((resolve, reject) => {
      server.server.once('error', (error: NodeJS.ErrnoException) => {
        server.live.stop();
        reject(
          new Error(
            error.code === 'EADDRINUSE'
              ? `port ${options.port} on ${serveHost} is already in use`
              : `cannot listen on ${serveHost}:${options.port}: ${error.message}`,
          ),
        );
      });
      server.server.listen(options.port, serveHost, () => {
        const address = server.server.address();
        server.address = typeof address === 'object' && address ? `${serveHost}:${address.port}` : '';
        resolve(server);
      });
    });
  }

  get port(): number {
    return Number(this.address.split(':')[1]);
  }

  get url(): string {
    return `https://${this.address}`;
  }

  /** Open watch streams and client connections: what tests count to find leaks. */
  stats(): { readonly watches: number; readonly sockets: number } {
    return { watches: this.watches.size, sockets: this.sockets.size };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(request.url ?? '/', 'https://localhost');
    response.on('finish', () =>
      this.log(`${request.method} ${url.pathname} ${response.statusCode} ${Math.round(performance.now() - started)}ms`),
    );
    try {
      if (!isPublicPath(url.pathname) && !authorized(request.headers.authorization, this.token)) {
        request.resume();
        return sendError(response, unauthorized());
      }
      if (serveNonResource(request, response, url, { version: this.options.version, serverAddress: this.address }))
        return;
      const path = parseResourcePath(url.pathname);
      if (!path) throw unknownPath();
      await routeResource(
        {
          live: this.live,
          path,
          query: url.searchParams,
          request,
          response,
          warnings: [],
          user: adminUser,
          connection: this.connectionIds.get(request.socket as Socket) ?? adminUser,
        },
        this.hooks,
        this.watches,
      );
    } catch (error) {
      if (isServedError(error)) return sendError(response, error);
      // A failure of podtrace itself: its message (never a header) to the log, a 500 to the client.
      const message = error instanceof Error ? error.message : String(error);
      this.log(`internal error on ${request.method} ${url.pathname}: ${message}`);
      sendError(response, internalError(message));
    }
  }

  /** Ends every watch, closes every connection and stops the simulator. */
  stop(): Promise<void> {
    this.watches.endAll();
    this.live.stop();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }
}
