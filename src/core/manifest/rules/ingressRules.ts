// networking.k8s.io/v1 Ingress, mirroring ValidateIngressSpec, validateIngressRules,
// validateHTTPIngressPath, validateIngressBackend and validateIngressTLS in
// k8s/pkg/apis/networking/validation/validation.go.
import {
  isDNS1035Label,
  isDNS1123Subdomain,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
} from './nameFormats';
import { arr, int, isObj, obj, str, type Obj } from '../base/plainValue';
import { ruleCodes } from './ruleCodes';
import { FieldPath, type RuleErrors } from './ruleError';

const code = ruleCodes.ingress;
const spec = FieldPath.of('spec');
const pathTypes = ['Exact', 'ImplementationSpecific', 'Prefix'];
const invalidSequences = ['//', '/./', '/../', '%2f', '%2F'];
const invalidSuffixes = ['/..', '/.'];
const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** netutils.ParseIPSloppy accepts IPv4 (with leading zeros) and anything IPv6-shaped. */
function isIP(host: string): boolean {
  const m = ipv4.exec(host);
  if (m) return m.slice(1).every((part) => Number(part) <= 255);
  return host.includes(':') && /^[0-9A-Fa-f:.]+$/.test(host);
}

function validateHost(host: string, path: FieldPath, errs: RuleErrors): void {
  if (host.includes('*')) errs.invalidEach(code, path, host, isWildcardDNS1123Subdomain(host));
  else errs.invalidEach(code, path, host, isDNS1123Subdomain(host));
}

function validateBackend(backend: Obj, path: FieldPath, errs: RuleErrors): void {
  const resource = isObj(backend.resource) ? backend.resource : undefined;
  const service = isObj(backend.service) ? backend.service : undefined;
  if (resource && service) {
    errs.invalid(code, path, '', 'cannot set both resource and service backends');
    return;
  }
  if (resource) {
    if (!str(resource.kind)) errs.required(code, path.child('resource', 'kind'), 'kind is required');
    if (!str(resource.name)) errs.required(code, path.child('resource', 'name'), 'name is required');
    return;
  }
  if (!service) {
    errs.invalid(code, path, '', 'resource or service backend is required');
    return;
  }
  const name = str(service.name);
  if (!name) errs.required(code, path.child('service', 'name'));
  else errs.invalidEach(code, path.child('service', 'name'), name, isDNS1035Label(name));
  const port = obj(service.port);
  const portName = str(port.name);
  const portNumber = int(port.number) ?? 0;
  if (portName && portNumber) errs.invalid(code, path, '', 'cannot set both port name & port number');
  else if (portName)
    errs.invalidEach(ruleCodes.port, path.child('service', 'port', 'name'), portName, isValidPortName(portName));
  else if (portNumber)
    errs.invalidEach(ruleCodes.port, path.child('service', 'port', 'number'), portNumber, isValidPortNum(portNumber));
  else errs.required(code, path, 'port name or number is required');
}

function validateHTTPPath(item: Obj, path: FieldPath, errs: RuleErrors): void {
  const pathType = item.pathType;
  if (typeof pathType !== 'string') {
    errs.required(code, path.child('pathType'), 'pathType must be specified');
    return;
  }
  const value = str(item.path);
  const p = path.child('path');
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) errs.invalid(code, p, value, 'must be an absolute path');
    if (value.length > 0) {
      for (const seq of invalidSequences)
        if (value.includes(seq)) errs.invalid(code, p, value, `must not contain '${seq}'`);
      for (const suffix of invalidSuffixes)
        if (value.endsWith(suffix)) errs.invalid(code, p, value, `cannot end with '${suffix}'`);
    }
  } else if (pathType === 'ImplementationSpecific') {
    if (value.length > 0 && !value.startsWith('/')) errs.invalid(code, p, value, 'must be an absolute path');
  } else {
    errs.notSupported(ruleCodes.unsupportedValue, path.child('pathType'), pathType, pathTypes);
  }
  validateBackend(obj(item.backend), path.child('backend'), errs);
}

export function validateIngress(object: Obj, errs: RuleErrors): void {
  const s = obj(object.spec);
  const rules = arr(s.rules);
  if (rules.length === 0 && !isObj(s.defaultBackend)) {
    const value = Array.isArray(s.rules) ? [] : null;
    const go = Array.isArray(s.rules) ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)';
    errs.invalid(code, spec, value, 'either `defaultBackend` or `rules` must be specified', go);
  }
  if (isObj(s.defaultBackend)) validateBackend(s.defaultBackend, spec.child('defaultBackend'), errs);
  rules.forEach((r, i) => {
    const rule = obj(r);
    const rp = spec.child('rules').index(i);
    const host = str(rule.host);
    if (host) {
      if (isIP(host)) errs.invalid(code, rp.child('host'), host, 'must be a DNS name, not an IP address');
      validateHost(host, rp.child('host'), errs);
    }
    if (!isObj(rule.http)) return;
    const paths = arr(rule.http.paths);
    const hp = rp.child('http', 'paths');
    if (paths.length === 0) errs.required(code, hp);
    paths.forEach((item, j) => validateHTTPPath(obj(item), hp.index(j), errs));
  });
  arr(s.tls).forEach((t, i) => {
    const tls = obj(t);
    const tp = spec.child('tls').index(i);
    arr(tls.hosts).forEach((h, j) => {
      if (typeof h === 'string') validateHost(h, tp.child('hosts').index(j), errs);
    });
    const secret = str(tls.secretName);
    if (secret) errs.invalidEach(code, tp.child('secretName'), secret, isDNS1123Subdomain(secret));
  });
  const className = s.ingressClassName;
  if (typeof className === 'string')
    errs.invalidEach(code, spec.child('ingressClassName'), className, isDNS1123Subdomain(className));
  const annotation = obj(obj(object.metadata).annotations)['kubernetes.io/ingress.class'];
  if (typeof annotation === 'string' && typeof className === 'string' && annotation !== className)
    errs.invalid(
      code,
      FieldPath.of('annotations').key('kubernetes.io/ingress.class'),
      annotation,
      'must match `ingressClassName` when both are specified',
    );
}
