// Gateway API stamps its CRDs with the release and channel they come from
// (sigs.k8s.io/gateway-api pkg/consts); implementations read them to tell
// which Gateway API a cluster has installed.
export const bundleVersionAnnotation = 'gateway.networking.k8s.io/bundle-version';
export const channelAnnotation = 'gateway.networking.k8s.io/channel';

