// Service, mirroring ValidateService and validateServicePort in
// k8s/pkg/apis/core/validation/validation.go. Runs after defaulting, so targetPort and
// protocol are set where the user left them out.
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidPortNum } from './nameFormats';
import { validateLabels } from './objectMetaRules';
import { arr, int, isObj, obj, str, type Obj } from '../base/plainValue';
import { validatePortNumOrName } from './probeRules';
import { ruleCodes } from './ruleCodes';
import { FieldPath, type RuleErrors } from './ruleError';

const code = ruleCodes.service;
const spec = FieldPath.of('spec');
const protocols = ['SCTP', 'TCP', 'UDP'];
const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function validateServicePort(
  port: Obj,
  requireName: boolean,
  names: Set<string>,
  path: FieldPath,
  errs: RuleErrors,
): void {
  const name = str(port.name);
  if (requireName && !name) errs.required(code, path.child('name'));
  else if (name) {
    errs.invalidEach(code, path.child('name'), name, isDNS1123Label(name));
    if (names.has(name)) errs.duplicate(ruleCodes.duplicateName, path.child('name'), name);
    else names.add(name);
  }
  const number = int(port.port);
  if (number !== undefined) errs.invalidEach(ruleCodes.port, path.child('port'), number, isValidPortNum(number));
  else errs.invalidEach(ruleCodes.port, path.child('port'), 0, isValidPortNum(0));
  const protocol = str(port.protocol);
  if (!protocol) errs.required(ruleCodes.unsupportedValue, path.child('protocol'));
  else if (!protocols.includes(protocol))
    errs.notSupported(ruleCodes.unsupportedValue, path.child('protocol'), protocol, protocols);
  validatePortNumOrName(port.targetPort, path.child('targetPort'), errs);
  const appProtocol = str(port.appProtocol);
  if (appProtocol)
    errs.invalidEach(code, path.child('appProtocol'), appProtocol, isQualifiedName(appProtocol, errs.minor));
}

/** The internal ServicePort key of the duplicate check: JSON field names are Go's (no tags on internal types). */
function portKey(protocol: string, port: number): { json: Obj; go: string } {
  return {
    json: { Name: '', Protocol: protocol, AppProtocol: null, Port: port, TargetPort: 0, NodePort: 0 },
    go:
      `core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol)}, AppProtocol:(*string)(nil), ` +
      `Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  };
}

export function validateService(object: Obj, errs: RuleErrors): void {
  const s = obj(object.spec);
  const type = str(s.type) || 'ClusterIP';
  const ports = arr(s.ports);
  const clusterIP = str(s.clusterIP) || str(arr(s.clusterIPs)[0]);
  const headless = clusterIP === 'None';
  const portsPath = spec.child('ports');
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.required(code, portsPath);
  if (type === 'ExternalName') {
    if (arr(s.clusterIPs).length > 0 || str(s.clusterIP))
      errs.forbidden(code, spec.child('clusterIPs'), 'may not be set for ExternalName services');
    if (arr(s.ipFamilies).length > 0)
      errs.forbidden(code, spec.child('ipFamilies'), 'may not be set for ExternalName services');
    if (s.ipFamilyPolicy !== undefined && s.ipFamilyPolicy !== null)
      errs.forbidden(code, spec.child('ipFamilyPolicy'), 'may not be set for ExternalName services');
    const cname = str(s.externalName).replace(/\.$/, '');
    if (!cname) errs.required(code, spec.child('externalName'));
    else errs.invalidEach(code, spec.child('externalName'), cname, isDNS1123Subdomain(cname));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => validateServicePort(obj(p), ports.length > 1, names, portsPath.index(i), errs));
  validateLabels(s.selector, spec.child('selector'), errs);
  const affinity = str(s.sessionAffinity);
  if (affinity && affinity !== 'ClientIP' && affinity !== 'None')
    errs.notSupported(ruleCodes.unsupportedValue, spec.child('sessionAffinity'), affinity, ['ClientIP', 'None']);
  if (affinity === 'None' && isObj(s.sessionAffinityConfig))
    errs.forbidden(code, spec.child('sessionAffinityConfig'), 'must not be set when session affinity is None');
  const timeout = int(obj(obj(s.sessionAffinityConfig).clientIP).timeoutSeconds);
  if (affinity === 'ClientIP' && timeout !== undefined && (timeout <= 0 || timeout > 86400))
    errs.invalid(
      code,
      spec.child('sessionAffinityConfig', 'clientIP', 'timeoutSeconds'),
      timeout,
      'must be greater than 0 and less than 86400',
    );
  if (!serviceTypes.includes(type))
    errs.notSupported(ruleCodes.unsupportedValue, spec.child('type'), type, serviceTypes);
  if (headless && (type === 'NodePort' || type === 'LoadBalancer'))
    errs.invalid(code, spec.child('clusterIPs').index(0), 'None', `may not be set to 'None' for ${type} services`);
  if (type === 'ClusterIP')
    ports.forEach((p, i) => {
      const nodePort = int(obj(p).nodePort);
      if (nodePort)
        errs.forbidden(code, portsPath.index(i).child('nodePort'), "may not be used when `type` is 'ClusterIP'");
    });
  if (type === 'LoadBalancer')
    ports.forEach((p, i) => {
      if (int(obj(p).port) === 10250)
        errs.invalid(
          code,
          portsPath.index(i).child('port'),
          10250,
          'may not expose port 10250 externally since it is used by kubelet',
        );
    });
  const nodePorts = new Set<string>();
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const port = obj(p);
    const protocol = str(port.protocol);
    const nodePort = int(port.nodePort);
    if (nodePort) {
      const key = `${protocol}/${nodePort}`;
      if (nodePorts.has(key)) errs.duplicate(code, portsPath.index(i).child('nodePort'), nodePort);
      nodePorts.add(key);
    }
    const number = int(port.port) ?? 0;
    const key = `${protocol}/${number}`;
    if (portKeys.has(key)) {
      const { json, go } = portKey(protocol, number);
      errs.duplicate(code, portsPath.index(i), json, go);
    }
    portKeys.add(key);
  });
  if (type !== 'LoadBalancer') {
    if (arr(s.loadBalancerSourceRanges).length > 0)
      errs.forbidden(code, spec.child('loadBalancerSourceRanges'), "may only be used when `type` is 'LoadBalancer'");
    if (s.allocateLoadBalancerNodePorts !== undefined && s.allocateLoadBalancerNodePorts !== null)
      errs.forbidden(
        code,
        spec.child('allocateLoadBalancerNodePorts'),
        "may only be used when `type` is 'LoadBalancer'",
      );
  }
  const external = type === 'NodePort' || type === 'LoadBalancer';
  const etp = str(s.externalTrafficPolicy);
  if (etp && !external)
    errs.invalid(code, spec.child('externalTrafficPolicy'), etp, 'may only be set for externally-accessible services');
  else if (etp && etp !== 'Cluster' && etp !== 'Local')
    errs.notSupported(ruleCodes.unsupportedValue, spec.child('externalTrafficPolicy'), etp, ['Cluster', 'Local']);
  const itp = str(s.internalTrafficPolicy);
  if (itp && itp !== 'Cluster' && itp !== 'Local')
    errs.notSupported(ruleCodes.unsupportedValue, spec.child('internalTrafficPolicy'), itp, ['Cluster', 'Local']);
  const health = int(s.healthCheckNodePort);
  if (health && !(type === 'LoadBalancer' && etp === 'Local'))
    errs.invalid(
      code,
      spec.child('healthCheckNodePort'),
      health,
      "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
    );
}
