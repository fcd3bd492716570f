// cert-manager's Gateway API integration (cert-manager.io; ListenerSets from
// v1.20, where its support for them is enabled): its certificate shim reads
// these annotations on a Gateway or a ListenerSet and
// issues a certificate for each HTTPS listener's hostname into the Secret
// the listener's certificateRefs name.

/** An Issuer in the annotated object's namespace. */
export const issuerAnnotation = 'cert-manager.io/issuer';
/** A ClusterIssuer. */
export const clusterIssuerAnnotation = 'cert-manager.io/cluster-issuer';
