// What every resource handler is given: the simulated cluster, the parsed path and query, the
// served resource, and the HTTP request and response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServedResource } from './apiResources';
import type { LiveCluster } from './liveCluster';
import type { ResourcePath } from './requestPath';

export interface RequestContext {
  readonly live: LiveCluster;
  readonly path: ResourcePath;
  readonly resource: ServedResource;
  readonly query: URLSearchParams;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** Warnings collected while handling the request, sent as Warning headers with the answer. */
  readonly warnings: string[];
  /** The user requests are made as: the one the token authenticates. */
  readonly user: string;
  /** The client connection, whose requests commit in the order they were sent (as on one HTTP/2 connection). */
  readonly connection: string;
  /**
   * Answers a GET or LIST with `body` (an object or a list): as JSON, or as a Table when the
   * client asked for one and the router's table hook makes one.
   */
  readonly reply: (body: unknown) => void;
}

/** The group-qualified resource as error messages name it: `pods`, `deployments.apps`. */
export function qualifiedResource(resource: ServedResource): string {
  return resource.group === '' ? resource.name : `${resource.name}.${resource.group}`;
}

/** The apiVersion objects of a resource are served with. */
export function apiVersionOf(resource: ServedResource): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** Whether dryRun=All was asked for; any other value is a 400 as upstream validates it. */
export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  return values.includes('All');
}
