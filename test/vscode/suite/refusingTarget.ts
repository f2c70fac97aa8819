// A stand-in for a kubeconfig context inside VS Code: the in-memory target of test/cluster,
// which refuses an object annotated `podtrace.test/refuse: <field path>` with a 422 whose one
// cause names that field, as an apiserver's validation would.
import type { ApplyOptions, ObjectOutcome, TargetDescription } from '../../../src/core/cluster/clusterTarget';
import { targetRefOf } from '../../../src/core/cluster/clusterTarget';
import type { KubeObject } from '../../../src/core/sim/store/objects';
import { MemoryTarget } from '../../cluster/memoryTarget';

export const refuseAnnotation = 'podtrace.test/refuse';

export class RefusingTarget extends MemoryTarget {
  constructor(description: TargetDescription) {
    super(description);
  }

  override async apply(objects: readonly KubeObject[], options: ApplyOptions = {}): Promise<ObjectOutcome[]> {
    const accepted = await super.apply(
      objects.filter((o) => o.metadata.annotations?.[refuseAnnotation] === undefined),
      options,
    );
    return objects.map((object): ObjectOutcome => {
      const field = object.metadata.annotations?.[refuseAnnotation];
      if (field === undefined) return accepted.shift()!;
      const message = 'Invalid value: 3: refused by the test';
      return {
        ok: false,
        ref: targetRefOf(object, this.describe().namespace),
        warnings: [],
        status: {
          code: 422,
          reason: 'Invalid',
          message: `${object.kind}.apps "${object.metadata.name}" is invalid: ${field}: ${message}`,
          causes: [{ reason: 'FieldValueInvalid', message, field }],
        },
      };
    });
  }
}
