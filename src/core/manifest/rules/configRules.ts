// ConfigMap and Secret contents, mirroring ValidateConfigMap and ValidateSecret in
// k8s/pkg/apis/core/validation/validation.go. Secret data is base64 in the manifest; its
// size counts the decoded bytes, as the apiserver sees them after decoding.
import { byteLength, isConfigMapKey, isQualifiedName } from './nameFormats';
import { obj, str, type Obj } from '../base/plainValue';
import { ruleCodes } from './ruleCodes';
import { FieldPath, type RuleErrors } from './ruleError';

const code = ruleCodes.configData;
const maxSize = 1024 * 1024;

function decodedLength(base64: string): number {
  const clean = base64.replace(/\s+/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

export function validateConfigMap(object: Obj, errs: RuleErrors): void {
  let total = 0;
  const data = obj(object.data);
  const binary = obj(object.binaryData);
  for (const key of Object.keys(data)) {
    const p = FieldPath.of('data').key(key);
    errs.invalidEach(code, p, key, isConfigMapKey(key));
    if (key in binary) errs.invalid(code, p, key, 'duplicate of key present in binaryData');
    const value = data[key];
    total += typeof value === 'string' ? byteLength(value) : 0;
  }
  for (const key of Object.keys(binary)) {
    errs.invalidEach(code, FieldPath.of('binaryData').key(key), key, isConfigMapKey(key));
    total += decodedLength(str(binary[key]));
  }
  if (total > maxSize) errs.tooLong(code, FieldPath.root(), maxSize);
}

/** The keys a typed Secret must carry, by type. */
function requireKeys(keys: readonly string[], data: Obj, errs: RuleErrors): void {
  for (const key of keys) if (!(key in data)) errs.required(code, FieldPath.of('data').key(key));
}

export function validateSecret(object: Obj, errs: RuleErrors): void {
  // stringData is merged into data before validation; its values count in plain bytes.
  const data: Obj = { ...obj(object.data) };
  const stringData = obj(object.stringData);
  let total = 0;
  for (const key of Object.keys(data)) total += decodedLength(str(data[key]));
  for (const key of Object.keys(stringData)) {
    if (!(key in data)) data[key] = stringData[key];
    total += byteLength(str(stringData[key]));
  }
  for (const key of Object.keys(data)) errs.invalidEach(code, FieldPath.of('data').key(key), key, isConfigMapKey(key));
  if (total > maxSize) errs.tooLong(code, FieldPath.of('data'), maxSize);
  const type = str(object.type);
  switch (type) {
    case 'kubernetes.io/service-account-token': {
      const annotations = obj(obj(object.metadata).annotations);
      if (!str(annotations['kubernetes.io/service-account.name']))
        errs.required(code, FieldPath.of('metadata', 'annotations').key('kubernetes.io/service-account.name'));
      break;
    }
    case 'kubernetes.io/dockerconfigjson':
      requireKeys(['.dockerconfigjson'], data, errs);
      break;
    case 'kubernetes.io/dockercfg':
      requireKeys(['.dockercfg'], data, errs);
      break;
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) {
        errs.required(code, FieldPath.of('data').key('username'));
        errs.required(code, FieldPath.of('data').key('password'));
      }
      break;
    case 'kubernetes.io/ssh-auth':
      if (!str(data['ssh-privatekey'])) errs.required(code, FieldPath.of('data').key('ssh-privatekey'));
      break;
    case 'kubernetes.io/tls':
      requireKeys(['tls.crt', 'tls.key'], data, errs);
      break;
    default:
      break;
  }
}

const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/**
 * Namespaces are cluster-scoped with DNS-1123 label names (the registry's meta options);
 * spec.finalizers go through validateFinalizerName, reported on the list path.
 */
export function validateNamespace(object: Obj, errs: RuleErrors): void {
  const finalizers = obj(object.spec).finalizers;
  if (!Array.isArray(finalizers)) return;
  const path = FieldPath.of('spec', 'finalizers');
  for (const f of finalizers) {
    if (typeof f !== 'string') continue;
    const messages = isQualifiedName(f, errs.minor);
    errs.invalidEach(code, path, f, messages);
    if (messages.length === 0 && !f.includes('/') && !standardFinalizers.has(f))
      errs.invalid(code, path, f, 'name is neither a standard finalizer name nor is it fully qualified');
  }
}
