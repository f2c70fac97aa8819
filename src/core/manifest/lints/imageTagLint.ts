// Layer 4 begins with lints that one document is enough for. The first: an image without a
// tag (which means `:latest`) or with `:latest`. The apiserver accepts it, but the tag can
// move between pulls, so two nodes may run different code under one name; and the pull
// policy defaults to Always, so every start waits on the registry.
import type { Finding } from '../../base/finding';
import { imageTag } from '../base/defaults';
import { formatFieldPath, type PathSegment } from '../base/fieldPath';
import { arr, isObj, type Obj } from '../base/plainValue';
import type { DocumentContext, ValidationLayer } from '../base/validationLayer';

export const lintCodes = { latestTag: 'PT4001' } as const;

export const lintFindingCodes = [
  { code: lintCodes.latestTag, layer: 'lifecycle' as const, title: 'image without a tag, or with :latest' },
];

const templated = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);

/** Where an object of a built-in workload kind keeps its pod spec. */
function podSpecPath(object: Obj): readonly PathSegment[] | undefined {
  const kind = object.kind;
  if (kind === 'Pod') return ['spec'];
  if (typeof kind === 'string' && templated.has(kind)) return ['spec', 'template', 'spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  return undefined;
}

function at(value: unknown, path: readonly PathSegment[]): unknown {
  let v = value;
  for (const segment of path)
    v = isObj(v) || Array.isArray(v) ? (v as Record<string | number, unknown>)[segment] : undefined;
  return v;
}

function objectFindings(context: DocumentContext, object: Obj, base: readonly PathSegment[]): Finding[] {
  const specPath = podSpecPath(object);
  if (!specPath) return [];
  const spec = at(object, specPath);
  const findings: Finding[] = [];
  for (const list of ['initContainers', 'containers']) {
    arr(isObj(spec) ? spec[list] : undefined).forEach((c, i) => {
      const image = isObj(c) ? c.image : undefined;
      if (typeof image !== 'string' || image === '' || imageTag(image) !== 'latest') return;
      const segments = [...base, ...specPath, list, i, 'image'];
      const untagged = !/:latest$/.test(image.split('@')[0]);
      findings.push({
        code: lintCodes.latestTag,
        severity: 'warning',
        message:
          `image "${image}" ${untagged ? 'has no tag, so it means :latest' : 'uses :latest'}: ` +
          'the tag can move between pulls, so nodes may run different images, ' +
          'and imagePullPolicy defaults to Always; pin a version or a digest',
        range: context.rangeOf(segments, 'value'),
        path: formatFieldPath(segments),
        documentIndex: context.doc.index,
      });
    });
  }
  return findings;
}

/** Single-document lints: warnings about objects the apiserver accepts but that are probably wrong. */
export const lintLayer: ValidationLayer = {
  id: 'lints',
  check(context) {
    const value = context.value();
    if (!isObj(value)) return [];
    if (value.kind === 'List' && Array.isArray(value.items)) {
      return arr(value.items).flatMap((item, i) => (isObj(item) ? objectFindings(context, item, ['items', i]) : []));
    }
    return objectFindings(context, value, []);
  },
};
