// The simulated Gateway API implementation: a GatewayClass of its own, the
// embedded plane's default Gateway, and a controller that accepts and
// "programs" Gateways, ListenerSets and HTTPRoutes of that class.

export interface GatewaySimOptions {
  /** The GatewayClass it installs and serves. */
  className: string;
  /** GatewayClass spec.controllerName, also routes' status.parents[].controllerName. */
  controllerName: string;
  /** The default Gateway it installs (Stratus's settings default routes.gateways names it). */
  namespace: string;
  name: string;
  /** The default Gateway's HTTP listener hostname. */
  hostname: string;
  /** From seeing a route (or a new generation of it) to reporting it programmed. */
  programDelayMs: number;
}

export const defaultGatewayOptions: GatewaySimOptions = {
  className: 'stratus-sim',
  controllerName: 'sim.stratus.dev/gateway-controller',
  namespace: 'stratus-gateway',
  name: 'stratus',
  hostname: '*.stratus.test',
  programDelayMs: 20,
};

/** A real data plane takes a second or two to pick up a route. */
export const realisticGateway: Partial<GatewaySimOptions> = { programDelayMs: 1_500 };

/** On an HTTPRoute, Pending leaves it unanswered: an implementation that never gets to it. */
export { injectFailureAnnotation } from '../kubelet/options.js';
