// VolumeBinding as a plugin of the profile (volumeBinding.ts holds the binder): PreFilter finds
// the pod's claims (or rejects the pod for one that is missing, being deleted or unbound with
// Immediate binding), Filter checks each node can hold them, PreBind binds them on the chosen
// node and waits for the persistentvolume controller. Upstream's Reserve (AssumePodVolumes)
// happens in PreBind here, right after the choice, so the next pod's Filter already sees it.
import { StateKey } from './cycleState';
import type { EventResource, Plugin } from './framework';
import { nodeEvents } from './frameworkRuntime';
import type { PodVolumes, VolumeBinding } from './volumeBinding';

/** Claims, volumes and classes: any change may let a pod that failed on storage fit (deletions too, in podtrace). */
const storageEvents = (['PersistentVolumeClaim', 'PersistentVolume', 'StorageClass'] as const).map(
  (resource: EventResource) => ({ event: { resource, actions: ['Add', 'Update', 'Delete'] as const } }),
);

export function volumeBinding(binder: VolumeBinding): Plugin {
  const volumesKey = new StateKey<PodVolumes>('VolumeBinding/preFilter');
  return {
    name: 'VolumeBinding',
    events: [{ event: nodeEvents }, ...storageEvents],
    preFilter: (state, { pod }) => {
      const volumes = binder.preFilter(pod);
      if (volumes === undefined) return { kind: 'skip' };
      if ('message' in volumes)
        return {
          kind: 'rejected',
          message: volumes.message,
          rejection: { plugin: 'VolumeBinding', volume: volumes.podVolume },
        };
      state.write(volumesKey, volumes);
      return { kind: 'success' };
    },
    filter: (state, _pod, info) => binder.filter(state.read(volumesKey), info.node),
    preBind: (state, { pod }, info, done) => {
      const volumes = state.find(volumesKey);
      if (volumes === undefined || volumes.unbound.length === 0) return done(undefined);
      binder.preBind(volumes, pod, info.node, (error) =>
        done(error && { message: error.message, rejection: { plugin: 'VolumeBinding', volume: error.podVolume } }),
      );
    },
  };
}
