// The admission half of a create or update: the name a generateName object gets, the default
// namespace, then authentication, authorization, mutating admission, validation and validating
// admission, as kube-apiserver's handler and registry run them. Writing to etcd is the caller's.
import type { SeededRandom } from '../../base/random';
import { ApiError } from '../store/apiError';
import { generateName } from '../store/naming';
import { resourceInfo, type KubeObject } from '../store/objects';
import type { ObjectStore } from '../store/store';
import { invalid, type AdmissionContext, type AdmissionRequest, type Pipeline } from './pipeline';

/** An object that passed admission, and the mutating plugins that changed it. */
export interface Admitted {
  readonly object: KubeObject;
  readonly plugins: readonly string[];
}

export class WriteAdmission {
  /**
   * Pods a controller creates from one template are admitted into objects that differ only
   * in their generated name and the random suffix of the service-account volume, neither of
   * which can make them invalid. A clean validation is kept per template spec (the object
   * those pods share) and reused for the next pod of the same owner, labels, annotations and
   * name prefix while nothing that admission reads (namespaces, service accounts, limit
   * ranges) has changed.
   */
  private readonly cleanPodSpecs = new WeakMap<
    object,
    { readonly metadata: KubeObject['metadata']; readonly admissionState: string }
  >();

  constructor(
    private readonly store: ObjectStore,
    private readonly pipeline: Pipeline,
    private readonly admission: AdmissionContext,
    private readonly names: SeededRandom,
  ) {}

  /**
   * The object with its generated name (a create with generateName) and, where the resource is
   * namespaced, a namespace.
   */
  named(verb: 'create' | 'update', resource: string, input: KubeObject): KubeObject {
    let object = input;
    if (verb === 'create' && !object.metadata.name && object.metadata.generateName) {
      let name = generateName(object.metadata.generateName, this.names);
      if (this.store.get(resource, object.metadata.namespace, name))
        name = generateName(object.metadata.generateName, this.names);
      object = { ...object, metadata: { ...object.metadata, name } };
    }
    const info = resourceInfo(resource)!;
    if (info.namespaced && !object.metadata.namespace)
      object = { ...object, metadata: { ...object.metadata, namespace: 'default' } };
    return object;
  }

  /**
   * Runs `named` (the request's object as `named` made it) through the pipeline; throws the
   * ApiError that refuses it (403 Forbidden, 422 Invalid, or a plugin's).
   */
  admit(verb: 'create' | 'update', resource: string, input: KubeObject, named: KubeObject, user: string): Admitted {
    let object = named;
    const info = resourceInfo(resource)!;
    // Mutating admission's errors name a generateName object by its prefix (upstream's NewForbidden:
    // the name is generated after mutating admission).
    const request: AdmissionRequest = {
      verb,
      resource,
      user,
      namespace: object.metadata.namespace,
      name: input.metadata.name || input.metadata.generateName || object.metadata.name,
    };
    const plugins: string[] = [];
    const identity = this.pipeline.authenticate(user);
    if (!this.pipeline.authorize(identity.user, request)) {
      throw new ApiError(
        403,
        'Forbidden',
        `${resource} "${object.metadata.name}" is forbidden: User "${user}" cannot ${verb} resource "${resource}"`,
      );
    }
    for (const plugin of this.pipeline.mutating) {
      const next = plugin.admit(object, request, this.admission);
      if (next !== object) plugins.push(plugin.name);
      object = next;
    }
    const template =
      verb === 'create' &&
      resource === 'pods' &&
      !input.metadata.name &&
      input.metadata.generateName &&
      typeof input.spec === 'object'
        ? input.spec
        : undefined;
    const admissionState = template
      ? `${this.store.lastChange('namespaces')}/` +
        `${this.store.lastChange('serviceaccounts')}/${this.store.lastChange('limitranges')}`
      : '';
    const clean = template ? this.cleanPodSpecs.get(template) : undefined;
    const reuse =
      clean !== undefined &&
      clean.admissionState === admissionState &&
      sameTemplateMetadata(clean.metadata, input.metadata);
    const errors = reuse ? [] : this.pipeline.validate(object, this.admission.version);
    if (template && !reuse && errors.length === 0)
      this.cleanPodSpecs.set(template, { metadata: input.metadata, admissionState });
    if (errors.length > 0) {
      const group = info.apiVersion.includes('/') ? info.apiVersion.split('/')[0] : '';
      throw invalid(object.kind, group, object.metadata.name, errors);
    }
    // Validating admission runs in the registry's create, after the name was generated: its errors
    // name the object itself.
    const validatingRequest =
      request.name === object.metadata.name ? request : { ...request, name: object.metadata.name };
    for (const plugin of this.pipeline.validating) plugin.validate(object, validatingRequest, this.admission);
    return { object, plugins };
  }
}

/** The metadata a pod's validation reads, the same objects (a controller's pods share them). */
function sameTemplateMetadata(a: KubeObject['metadata'], b: KubeObject['metadata']): boolean {
  return (
    a.namespace === b.namespace &&
    a.generateName === b.generateName &&
    a.labels === b.labels &&
    a.annotations === b.annotations &&
    a.ownerReferences === b.ownerReferences &&
    a.finalizers === b.finalizers
  );
}
