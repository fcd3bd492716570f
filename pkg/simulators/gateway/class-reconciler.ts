// The implementation's GatewayClass controller: a class naming its
// controller is accepted, and says which Gateway API bundle it supports
// (the installed CRDs' bundle-version annotation, as implementations check).
import type { GatewayClass } from '../../contracts/gateway/index.js';
import { bundleVersionAnnotation, GatewayClassCondition, GatewayClasses, GatewayClassReason } from '../../contracts/gateway/index.js';
import { CustomResourceDefinitions } from '../../kube/resources.js';
import type { KubeObject } from '../../meta/object.js';
import type { Cache } from '../../runtime/cache/cache.js';
import type { Client } from '../../runtime/client/client.js';
import { isNotFound } from '../../runtime/client/api-error.js';
import type { Reconciler, Request } from '../../runtime/controller/types.js';
import { deepEqual } from '../../util/equality.js';
import type { StageClock } from '../clock.js';
import { conditionsFor } from './conditions.js';
import type { GatewaySimOptions } from './options.js';

/** The Gateway API release this simulator implements. */
const supportedBundle = /^v1\.6\./;

export class GatewayClassReconciler implements Reconciler {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
    private readonly o: GatewaySimOptions,
    private readonly clock: StageClock,
  ) {}

  async reconcile(req: Request): Promise<void> {
    const cls = this.cache.get<GatewayClass>(GatewayClasses, undefined, req.name);
    if (!cls || cls.spec.controllerName !== this.o.controllerName) return;
    const crd = await this.client.get<KubeObject>(CustomResourceDefinitions, undefined, 'gatewayclasses.gateway.networking.k8s.io');
    const bundle = crd.metadata.annotations?.[bundleVersionAnnotation] ?? 'unknown';
    const supported = supportedBundle.test(bundle);
    const status = {
      conditions: conditionsFor(
        cls.status?.conditions,
        [
          { type: GatewayClassCondition.Accepted, status: supported, reason: supported ? GatewayClassReason.Accepted : 'UnsupportedVersion', message: supported ? 'Accepted' : `Gateway API ${bundle} is not supported` },
          { type: 'SupportedVersion', status: supported, reason: supported ? 'SupportedVersion' : 'UnsupportedVersion', message: `Gateway API ${bundle}` },
        ],
        cls.metadata.generation,
        this.clock.current(),
      ),
    };
    if (deepEqual(cls.status?.conditions, status.conditions)) return;
    try {
      await this.client.patch(GatewayClasses, undefined, req.name, { merge: { status } }, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
