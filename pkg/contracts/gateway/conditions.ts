// Gateway API's condition types and reasons (sigs.k8s.io/gateway-api
// apis/v1: shared_types.go, gateway_types.go, gatewayclass_types.go,
// listenerset_types.go), as implementations write them and Stratus reads them.

export const RouteCondition = { Accepted: 'Accepted', ResolvedRefs: 'ResolvedRefs', PartiallyInvalid: 'PartiallyInvalid' } as const;

export const RouteReason = {
  Accepted: 'Accepted',
  NotAllowedByListeners: 'NotAllowedByListeners',
  NoMatchingListenerHostname: 'NoMatchingListenerHostname',
  NoMatchingParent: 'NoMatchingParent',
  UnsupportedValue: 'UnsupportedValue',
  Pending: 'Pending',
  ResolvedRefs: 'ResolvedRefs',
  RefNotPermitted: 'RefNotPermitted',
  InvalidKind: 'InvalidKind',
  BackendNotFound: 'BackendNotFound',
} as const;

export const GatewayClassCondition = { Accepted: 'Accepted' } as const;
export const GatewayClassReason = { Accepted: 'Accepted' } as const;

/** Gateway and listener conditions (ListenerSets and their listener entries use the same words). */
export const GatewayCondition = { Accepted: 'Accepted', Programmed: 'Programmed', ResolvedRefs: 'ResolvedRefs', Conflicted: 'Conflicted' } as const;

export const GatewayReason = {
  Accepted: 'Accepted',
  Programmed: 'Programmed',
  Invalid: 'Invalid',
  Pending: 'Pending',
  ResolvedRefs: 'ResolvedRefs',
  NoConflicts: 'NoConflicts',
  HostnameConflict: 'HostnameConflict',
  InvalidCertificateRef: 'InvalidCertificateRef',
  UnsupportedProtocol: 'UnsupportedProtocol',
  /** A ListenerSet its parent Gateway does not allow (allowedListeners). */
  NotAllowed: 'NotAllowed',
  /** A ListenerSet whose listeners are all invalid. */
  ListenersNotValid: 'ListenersNotValid',
  /** A ListenerSet whose parent is not accepted (or does not exist). */
  ParentNotAccepted: 'ParentNotAccepted',
} as const;
