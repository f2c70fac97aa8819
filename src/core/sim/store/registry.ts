// What the apiserver's registry strategies add to an object on create once its uid is known
// (pkg/registry/*/strategy.go). A Job without manualSelector gets the selector and the
// template labels that tie its pods to it: generateSelector runs in the Job strategy's
// Validate, after the uid was set.
import type { JobSpec } from '../../base/apiObjects';
import type { KubeObject } from './objects';

export function generateJobSelector(job: KubeObject): KubeObject {
  // Validation has not run yet, so even the required fields may be missing.
  const spec: Partial<JobSpec> = job.spec ?? {};
  if (spec.manualSelector === true) return job;
  const uid = job.metadata.uid!;
  const name = job.metadata.name;
  const template = spec.template ?? {};
  const given: Readonly<Record<string, string>> = template.metadata?.labels ?? {};
  // A label the user set is kept (validation then decides); the others are added.
  const generated: Record<string, string> = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  const labels = { ...generated, ...given };
  const matchLabels = { ...(spec.selector?.matchLabels ?? {}) };
  if (matchLabels['batch.kubernetes.io/controller-uid'] === undefined)
    matchLabels['batch.kubernetes.io/controller-uid'] = uid;
  return {
    ...job,
    spec: {
      ...spec,
      selector: { ...(spec.selector ?? {}), matchLabels },
      template: { ...template, metadata: { ...(template.metadata ?? {}), labels } },
    },
  };
}
