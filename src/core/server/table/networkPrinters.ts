// The rows of Services, EndpointSlices and Ingresses, after pkg/printers/internalversion/printers.go
// (printService, printEndpointSlice, printIngress): PORT(S) as `80/TCP` or `80:30080/TCP`, the
// external IP by Service type, at most three endpoints or hosts and then `+ N more...`.
import { ageSince } from './age';
import type { Printer } from './printerTypes';
import { ageColumn, at, column, formatLabels, int, list, nameColumn, text } from './printerTypes';

/** getServiceExternalIP. */
function serviceExternalIp(service: unknown): string {
  const externalIps = list(at(service, 'spec', 'externalIPs')).map(String);
  switch (text(at(service, 'spec', 'type'), 'ClusterIP')) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIps.length > 0 ? externalIps.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = list(at(service, 'status', 'loadBalancer', 'ingress'))
        .map((i) => text(at(i, 'ip'), text(at(i, 'hostname'))))
        .filter((s) => s !== '');
      const all = [...ingress, ...externalIps];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return text(at(service, 'spec', 'externalName'));
    default:
      return '<unknown>';
  }
}

/** makePortString. */
function servicePorts(service: unknown): string {
  const ports = list(at(service, 'spec', 'ports')).map((p) => {
    const protocol = text(at(p, 'protocol'), 'TCP');
    const nodePort = int(at(p, 'nodePort'));
    return nodePort > 0 ? `${int(at(p, 'port'))}:${nodePort}/${protocol}` : `${int(at(p, 'port'))}/${protocol}`;
  });
  return ports.length > 0 ? ports.join(',') : '<none>';
}

export const servicePrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'string', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column(
      'External-IP',
      'string',
      'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
    ),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn,
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', {
      wide: true,
    }),
  ],
  cells(s, { nowMs }) {
    return [
      text(at(s, 'metadata', 'name')),
      text(at(s, 'spec', 'type'), 'ClusterIP'),
      text(at(s, 'spec', 'clusterIP'), '<none>'),
      serviceExternalIp(s),
      servicePorts(s),
      ageSince(at(s, 'metadata', 'creationTimestamp'), nowMs),
      formatLabels(at(s, 'spec', 'selector')),
    ];
  },
};

/** Up to three entries, then `+ N more...`, as the printers shorten long lists. */
function firstThree(items: readonly string[], empty: string): string {
  if (items.length === 0) return empty;
  const shown = items.slice(0, 3).join(',');
  return items.length > 3 ? `${shown} + ${items.length - 3} more...` : shown;
}

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn,
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn,
  ],
  cells(slice, { nowMs }) {
    const ports = list(at(slice, 'ports')).map((p) =>
      typeof at(p, 'port') === 'number' ? String(at(p, 'port')) : '<unset>',
    );
    const addresses = list(at(slice, 'endpoints')).flatMap((e) => list(at(e, 'addresses')).map(String));
    return [
      text(at(slice, 'metadata', 'name')),
      text(at(slice, 'addressType')),
      ports.length > 0 ? ports.join(',') : '<unset>',
      firstThree(addresses, '<unset>'),
      ageSince(at(slice, 'metadata', 'creationTimestamp'), nowMs),
    ];
  },
};

export const ingressPrinter: Printer = {
  columns: [
    nameColumn,
    column('Class', 'string', 'The name of the IngressClass cluster resource.'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn,
  ],
  cells(ing, { nowMs }) {
    const hosts = list(at(ing, 'spec', 'rules'))
      .map((r) => text(at(r, 'host')))
      .filter((h) => h !== '');
    const address = list(at(ing, 'status', 'loadBalancer', 'ingress'))
      .map((i) => text(at(i, 'ip'), text(at(i, 'hostname'))))
      .filter((a) => a !== '')
      .join(',');
    return [
      text(at(ing, 'metadata', 'name')),
      text(at(ing, 'spec', 'ingressClassName'), '<none>'),
      firstThree(hosts, '*'),
      address,
      list(at(ing, 'spec', 'tls')).length > 0 ? '80, 443' : '80',
      ageSince(at(ing, 'metadata', 'creationTimestamp'), nowMs),
    ];
  },
};
