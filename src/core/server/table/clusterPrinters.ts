// The rows of Nodes, Namespaces and Events, after pkg/printers/internalversion/printers.go:
// a node's STATUS from its Ready condition (plus SchedulingDisabled when cordoned) and ROLES from
// its node-role labels; an event's LAST SEEN, OBJECT and SOURCE, for core/v1 Events and for
// events.k8s.io/v1 Events (whose fields the apiserver converts to the same internal Event).
import { ageSince } from './age';
import type { Printer } from './printerTypes';
import { ageColumn, at, column, int, list, nameColumn, record, text } from './printerTypes';

const roleLabelPrefix = 'node-role.kubernetes.io/';

function nodeStatus(node: unknown): string {
  const ready = list(at(node, 'status', 'conditions')).find((c) => at(c, 'type') === 'Ready');
  const status = [ready === undefined ? 'Unknown' : at(ready, 'status') === 'True' ? 'Ready' : 'NotReady'];
  if (at(node, 'spec', 'unschedulable') === true) status.push('SchedulingDisabled');
  return status.join(',');
}

/** findNodeRoles: `node-role.kubernetes.io/<role>` labels and the `kubernetes.io/role` label. */
function nodeRoles(node: unknown): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(record(at(node, 'metadata', 'labels')))) {
    if (key.startsWith(roleLabelPrefix) && key.length > roleLabelPrefix.length)
      roles.add(key.slice(roleLabelPrefix.length));
    else if (key === 'kubernetes.io/role' && value !== '') roles.add(String(value));
  }
  return roles.size > 0 ? [...roles].sort().join(',') : '<none>';
}

function nodeAddress(node: unknown, type: string): string {
  const address = list(at(node, 'status', 'addresses')).find((a) => at(a, 'type') === type);
  return text(at(address, 'address'), '<none>');
}

export const nodePrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn,
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'string', 'List of addresses reachable to the node.', { wide: true }),
    column('External-IP', 'string', 'List of addresses reachable to the node.', { wide: true }),
    column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release.', { wide: true }),
    column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r'.", { wide: true }),
    column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API.', {
      wide: true,
    }),
  ],
  cells(node, { nowMs }) {
    return [
      text(at(node, 'metadata', 'name')),
      nodeStatus(node),
      nodeRoles(node),
      ageSince(at(node, 'metadata', 'creationTimestamp'), nowMs),
      text(at(node, 'status', 'nodeInfo', 'kubeletVersion')),
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      text(at(node, 'status', 'nodeInfo', 'osImage'), '<unknown>'),
      text(at(node, 'status', 'nodeInfo', 'kernelVersion'), '<unknown>'),
      text(at(node, 'status', 'nodeInfo', 'containerRuntimeVersion'), '<unknown>'),
    ];
  },
};

export const namespacePrinter: Printer = {
  columns: [nameColumn, column('Status', 'string', 'The status of the namespace'), ageColumn],
  cells(ns, { nowMs }) {
    return [
      text(at(ns, 'metadata', 'name')),
      text(at(ns, 'status', 'phase'), 'Active'),
      ageSince(at(ns, 'metadata', 'creationTimestamp'), nowMs),
    ];
  },
};

interface EventView {
  readonly firstTimestamp: unknown;
  readonly lastTimestamp: unknown;
  readonly eventTime: unknown;
  readonly count: number;
  readonly seriesCount?: number;
  readonly seriesLast?: unknown;
  readonly involved: unknown;
  readonly component: string;
  readonly host: string;
  readonly reportingController: string;
  readonly reportingInstance: string;
  readonly message: string;
}

/** The fields printEvent reads, from either API group's Event. */
function eventView(event: unknown): EventView {
  const v1 = at(event, 'apiVersion') !== 'events.k8s.io/v1';
  return {
    firstTimestamp: at(event, v1 ? 'firstTimestamp' : 'deprecatedFirstTimestamp'),
    lastTimestamp: at(event, v1 ? 'lastTimestamp' : 'deprecatedLastTimestamp'),
    eventTime: at(event, 'eventTime'),
    count: int(at(event, v1 ? 'count' : 'deprecatedCount')),
    seriesCount: at(event, 'series') ? int(at(event, 'series', 'count')) : undefined,
    seriesLast: at(event, 'series', 'lastObservedTime'),
    involved: at(event, v1 ? 'involvedObject' : 'regarding'),
    component: text(at(event, v1 ? 'source' : 'deprecatedSource', 'component')),
    host: text(at(event, v1 ? 'source' : 'deprecatedSource', 'host')),
    reportingController: text(at(event, 'reportingController')),
    reportingInstance: text(at(event, 'reportingInstance')),
    message: text(at(event, v1 ? 'message' : 'note')),
  };
}

/** formatEventSource: the legacy source when set, else the reporting controller and instance. */
function eventSource(e: EventView): string {
  const [first, second] = e.component !== '' ? [e.component, e.host] : [e.reportingController, e.reportingInstance];
  return second !== '' ? `${first}, ${second}` : first;
}

export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column(
      'Reason',
      'string',
      "A short, machine understandable reason for the transition into the object's current status.",
    ),
    column('Object', 'string', 'The object that this event is about.'),
    column('Subobject', 'string', 'The piece of the object the event refers to, as a field access statement.', {
      wide: true,
    }),
    column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', {
      wide: true,
    }),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column(
      'First Seen',
      'string',
      'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
      { wide: true },
    ),
    column('Count', 'string', 'The number of times this event has occurred.', { wide: true }),
    column('Name', 'string', 'Name must be unique within a namespace.', { wide: true, format: 'name' }),
  ],
  cells(event, { nowMs }) {
    const e = eventView(event);
    const first = e.firstTimestamp ? ageSince(e.firstTimestamp, nowMs) : ageSince(e.eventTime, nowMs);
    let last = e.lastTimestamp ? ageSince(e.lastTimestamp, nowMs) : first;
    let count = e.count === 0 ? 1 : e.count;
    if (e.seriesCount !== undefined) {
      last = ageSince(e.seriesLast, nowMs);
      count = e.seriesCount;
    }
    const kind = text(at(e.involved, 'kind')).toLowerCase();
    const involvedName = text(at(e.involved, 'name'));
    return [
      last,
      text(at(event, 'type')),
      text(at(event, 'reason')),
      involvedName !== '' ? `${kind}/${involvedName}` : kind,
      text(at(e.involved, 'fieldPath')),
      eventSource(e),
      e.message.trim(),
      first,
      count,
      text(at(event, 'metadata', 'name')),
    ];
  },
};
