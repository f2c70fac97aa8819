// The default profile's plugins that only filter: NodeUnschedulable, NodeName and NodePorts
// (pkg/scheduler/framework/plugins/nodeunschedulable, nodename, nodeports). Texts are the
// upstream ones; the rejections name what they found in the pod's own terms.
import type { Toleration } from '../../base/apiObjects';
import { tolerates } from '../helpers/taints';
import type { FilterFailure, Plugin } from './framework';
import { nodeEvents } from './frameworkRuntime';

/** The failures that name nothing but their plugin, made once. */
const unschedulableNode: FilterFailure = Object.freeze({
  plugin: 'NodeUnschedulable',
  reasons: Object.freeze(['node(s) were unschedulable']),
  unresolvable: true,
});
const otherNodeName: FilterFailure = Object.freeze({
  plugin: 'NodeName',
  reasons: Object.freeze(["node(s) didn't match the requested node name"]),
  unresolvable: true,
});
const unschedulableTaint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** NodeUnschedulable: a cordoned node takes only pods that tolerate its unschedulable taint. */
export function nodeUnschedulable(): Plugin {
  return {
    name: 'NodeUnschedulable',
    events: [{ event: nodeEvents }],
    passesOnPlainNodes: true,
    filter: (_state, { pod }, info) => {
      if (!info.node.spec?.unschedulable) return undefined;
      const tolerated = (pod.spec!.tolerations ?? []).some((t: Toleration) => tolerates(t, unschedulableTaint));
      return tolerated ? undefined : unschedulableNode;
    },
  };
}

/**
 * NodeName: a pod that names its node fits only there. The scheduler only sees pods without
 * spec.nodeName, so its PreFilter skips the Filter for them, which is then never needed.
 */
export function nodeName(): Plugin {
  return {
    name: 'NodeName',
    events: [{ event: nodeEvents }],
    preFilter: (_state, { pod }) => (pod.spec!.nodeName ? { kind: 'success' } : { kind: 'skip' }),
    filter: (_state, { pod }, info) =>
      pod.spec!.nodeName && pod.spec!.nodeName !== info.node.metadata.name ? otherNodeName : undefined,
  };
}

/** NodePorts: a host port (protocol, IP and port) that a pod on the node already uses rejects the node. */
export function nodePorts(): Plugin {
  return {
    name: 'NodePorts',
    // A pod deleted frees its ports.
    events: [{ event: nodeEvents }, { event: { resource: 'AssignedPod', actions: ['Delete'] } }],
    preFilter: (_state, { requests }) => (requests.hostPorts.length === 0 ? { kind: 'skip' } : { kind: 'success' }),
    filter: (_state, { requests }, info) => {
      for (let i = 0; i < requests.hostPorts.length; i++) {
        if ((info.hostPorts.get(requests.hostPorts[i]) ?? 0) > 0)
          return {
            plugin: 'NodePorts',
            hostPort: requests.hostPortNumbers[i],
            reasons: ["node(s) didn't have free ports for the requested pod ports"],
            unresolvable: false,
          };
      }
      return undefined;
    },
  };
}
