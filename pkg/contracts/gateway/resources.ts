// Gateway API v1, standard channel (gateway.networking.k8s.io), by group/version/resource.
import { resourceType as t } from '../../meta/resource.js';

const g = 'gateway.networking.k8s.io';
export const GatewayClasses = t(g, 'v1', 'gatewayclasses', 'GatewayClass', false);
export const Gateways = t(g, 'v1', 'gateways', 'Gateway');
export const HTTPRoutes = t(g, 'v1', 'httproutes', 'HTTPRoute');
export const GRPCRoutes = t(g, 'v1', 'grpcroutes', 'GRPCRoute');
export const ReferenceGrants = t(g, 'v1', 'referencegrants', 'ReferenceGrant');
export const BackendTLSPolicies = t(g, 'v1', 'backendtlspolicies', 'BackendTLSPolicy');
export const ListenerSets = t(g, 'v1', 'listenersets', 'ListenerSet');
export const TLSRoutes = t(g, 'v1', 'tlsroutes', 'TLSRoute');
export const TCPRoutes = t(g, 'v1', 'tcproutes', 'TCPRoute');
export const UDPRoutes = t(g, 'v1', 'udproutes', 'UDPRoute');
