// generateContainerConfig's references (kuberuntime_container.go): a container's env and
// envFrom read ConfigMaps and Secrets, and one that does not exist (and is not optional)
// stops the container at CreateContainerConfigError, with the reference as the cause.
import type { Container } from '../../base/apiObjects';
import type { EventCause } from '../../trace/model/eventCause';
import type { ObjectStore } from '../store/store';

/** The first env or envFrom reference that does not resolve: the error text and the reference it comes from. */
export function containerConfigError(
  store: ObjectStore,
  namespace: string | undefined,
  container: Container,
): { message: string; cause: EventCause } | undefined {
  const check = (kind: 'configmap' | 'secret', name: string, optional: boolean) =>
    !optional && !store.get(kind === 'configmap' ? 'configmaps' : 'secrets', namespace, name)
      ? `${kind} "${name}" not found`
      : undefined;
  const envFrom = container.envFrom ?? [];
  for (let index = 0; index < envFrom.length; index++) {
    const from = envFrom[index];
    const e = from.configMapRef
      ? check('configmap', from.configMapRef.name!, Boolean(from.configMapRef.optional))
      : from.secretRef
        ? check('secret', from.secretRef.name!, Boolean(from.secretRef.optional))
        : undefined;
    if (e) return { message: e, cause: { kind: 'env', list: 'envFrom', index } };
  }
  const env = container.env ?? [];
  for (let index = 0; index < env.length; index++) {
    const ref = env[index].valueFrom?.configMapKeyRef ?? env[index].valueFrom?.secretKeyRef;
    if (!ref) continue;
    const e = check(env[index].valueFrom!.configMapKeyRef ? 'configmap' : 'secret', ref.name!, Boolean(ref.optional));
    if (e) return { message: e, cause: { kind: 'env', list: 'env', index } };
  }
  return undefined;
}
