// Which timeline lane a real cluster's Event goes to: by the component that reported it
// (core/v1 source.component or reportingComponent, events.k8s.io/v1 reportingController), and
// for the kubelet by its reason too, the way the simulator's recorders place the same events
// (src/core/sim/apiserver/eventRecorder.ts and its callers): the kubelet's container runtime
// events on `cri`, its probe failures on `probe`, its volume events on `csi`. A table, so that a
// component or reason is a row, not a branch.
import type { Lane } from '../trace/model/traceEvent';

/** Lanes by the reporting component, as upstream's components name themselves. */
const componentLanes: ReadonlyMap<string, Lane> = new Map<string, Lane>([
  ['default-scheduler', 'scheduler'],
  ['kubelet', 'kubelet'],
  ['endpoint-slice-controller', 'endpoints'],
  ['endpointslice-controller', 'endpoints'],
  ['endpoint-controller', 'endpoints'],
  ['endpointslicemirroring-controller', 'endpoints'],
  ['kube-proxy', 'kube-proxy'],
  ['coredns', 'coredns'],
  ['nginx-ingress-controller', 'ingress'],
  ['ingress-nginx-controller', 'ingress'],
  ['istiod', 'mesh'],
  ['linkerd-destination', 'mesh'],
  ['kube-apiserver', 'apiserver'],
]);

/**
 * The kubelet's events that the simulator records on another lane than `kubelet`: the image
 * pulled and the container created and started by the runtime, a failed probe, a volume that
 * did not mount. `Pulled` of an image already present is the kubelet's own (no pull ran).
 */
const kubeletReasonLanes: ReadonlyMap<string, Lane> = new Map<string, Lane>([
  ['Pulled', 'cri'],
  ['Created', 'cri'],
  ['Started', 'cri'],
  ['Unhealthy', 'probe'],
  ['ProbeWarning', 'probe'],
  ['FailedMount', 'csi'],
  ['FailedAttachVolume', 'csi'],
  ['FailedMapVolume', 'csi'],
  ['SuccessfulAttachVolume', 'csi'],
  ['FailedCreatePodSandBox', 'cni'],
  ['SandboxChanged', 'cri'],
]);

/** The upstream kubelet's words for a `Pulled` with no pull: the image was on the node already. */
const alreadyPresent = 'already present on machine';

/**
 * The lane of an Event. Components of kube-controller-manager (`deployment-controller`,
 * `replicaset-controller`, `job-controller`, `node-controller`, `persistentvolume-controller`,
 * `controllermanager` for disruption budgets, ...) and controllers podtrace does not know go to
 * `controller-manager`; an external provisioner or CSI driver (`rancher.io/local-path_...`,
 * `ebs.csi.aws.com_...`) to `csi`.
 */
export function laneOfEvent(component: string, reason: string, message: string): Lane {
  if (component === 'kubelet') {
    // Which lane, not what caused it: the kubelet's fixed wording for a pull that did not happen.
    if (reason === 'Pulled' && message.includes(alreadyPresent)) return 'kubelet';
    return kubeletReasonLanes.get(reason) ?? 'kubelet';
  }
  const known = componentLanes.get(component);
  if (known) return known;
  if (component.includes('csi') || component.includes('provisioner') || /^[a-z0-9.-]+\/[a-z0-9.-]+_/.test(component))
    return 'csi';
  if (component.includes('ingress')) return 'ingress';
  return 'controller-manager';
}
