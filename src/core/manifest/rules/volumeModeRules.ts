// The file mode checks of ValidateVolumes (k8s/pkg/apis/core/validation/validation.go):
// defaultMode and items[].mode of secret, configMap, downwardAPI and projected volumes must
// lie between 0 and 0777. A mode is an int32 the YAML author usually writes in octal
// (`0644`, which YAML 1.1 reads as 420); `644` or `777` is read as decimal and is either a
// surprising mode or, past 511, rejected. The message is the same in every supported version.
import { arr, int, obj, type Obj } from '../base/plainValue';
import { ruleCodes } from './ruleCodes';
import type { FieldPath, RuleErrors } from './ruleError';

const fileModeErrorMsg = 'must be a number between 0 and 0777 (octal), both inclusive';
const maxFileMode = 0o777;

function checkMode(value: unknown, path: FieldPath, errs: RuleErrors): void {
  const mode = int(value);
  if (mode === undefined || (mode >= 0 && mode <= maxFileMode)) return;
  errs.invalid(ruleCodes.volume, path, mode, fileModeErrorMsg);
}

/** validateKeyToPath's mode check, for each item of a secret or configMap source. */
function checkKeyToPathModes(items: unknown, path: FieldPath, errs: RuleErrors): void {
  arr(items).forEach((item, i) => checkMode(obj(item).mode, path.index(i).child('mode'), errs));
}

/**
 * validateDownwardAPIVolumeFile's mode check. Upstream passes the source's path, not the
 * item's, so the error names `<source>.mode` whichever item is wrong; podtrace keeps that path.
 */
function checkDownwardAPIModes(items: unknown, sourcePath: FieldPath, errs: RuleErrors): void {
  arr(items).forEach((item) => checkMode(obj(item).mode, sourcePath.child('mode'), errs));
}

/** The mode checks of one volume source, in the order upstream's validator for it runs them. */
export function validateVolumeModes(sourceName: string, sourceValue: unknown, path: FieldPath, errs: RuleErrors): void {
  const source: Obj = obj(sourceValue);
  switch (sourceName) {
    case 'secret':
    case 'configMap':
      checkMode(source.defaultMode, path.child('defaultMode'), errs);
      checkKeyToPathModes(source.items, path.child('items'), errs);
      return;
    case 'downwardAPI':
      checkMode(source.defaultMode, path.child('defaultMode'), errs);
      checkDownwardAPIModes(source.items, path, errs);
      return;
    case 'projected':
      checkMode(source.defaultMode, path.child('defaultMode'), errs);
      arr(source.sources).forEach((entry, i) => {
        const projection = obj(entry);
        const at = path.child('sources').index(i);
        for (const kind of ['secret', 'configMap'] as const) {
          if (projection[kind] !== undefined && projection[kind] !== null)
            checkKeyToPathModes(obj(projection[kind]).items, at.child(kind, 'items'), errs);
        }
        if (projection.downwardAPI !== undefined && projection.downwardAPI !== null)
          checkDownwardAPIModes(obj(projection.downwardAPI).items, at.child('downwardAPI'), errs);
      });
      return;
    default:
      return;
  }
}
