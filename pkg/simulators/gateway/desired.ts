// What the simulated implementation installs: its GatewayClass and the
// embedded plane's default Gateway (HTTP on port 80 for one wildcard
// hostname, routes and ListenerSets from every namespace).
import type { Gateway, GatewayClass } from '../../contracts/gateway/index.js';
import type { KubeObject } from '../../meta/object.js';
import type { GatewaySimOptions } from './options.js';

export function gatewayClass(o: GatewaySimOptions): GatewayClass {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name: o.className },
    spec: { controllerName: o.controllerName, description: 'Simulated Gateway API implementation (stratus up)' },
  };
}

export function gatewayNamespace(o: GatewaySimOptions): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.namespace } };
}

export function defaultGateway(o: GatewaySimOptions): Gateway {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: o.name, namespace: o.namespace },
    spec: {
      gatewayClassName: o.className,
      listeners: [{ name: 'http', protocol: 'HTTP', port: 80, hostname: o.hostname, allowedRoutes: { namespaces: { from: 'All' } } }],
      allowedListeners: { namespaces: { from: 'All' } },
    },
  };
}
