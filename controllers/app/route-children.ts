// Writes an App's routes: the HTTPRoute, one per tag, and with TLS its
// ListenerSet; removes those it no longer wants (a tag dropped, TLS or the
// route removed). Returns what the App reports about them.
import type { App } from '../../pkg/api/types.generated.js';
import type { GatewayChoice } from '../../pkg/api/settings.js';
import type { HTTPRoute, ListenerSet } from '../../pkg/contracts/gateway/index.js';
import { HTTPRoutes, ListenerSets } from '../../pkg/contracts/gateway/index.js';
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { isControlledBy } from '../../pkg/meta/object.js';
import { applyChild } from '../shared/children.js';
import { routeSummary } from './route-status.js';
import { desiredListenerSet, desiredRoute, desiredTagRoutes, parentRefOf, tagHostnames, urlsOf } from './routes.js';
import type { AppObservation } from './status.js';
import type { Target } from './traffic.js';

export class RouteChildren {
  constructor(
    private readonly client: Client,
    private readonly cache: Cache,
  ) {}

  private owned<T extends HTTPRoute | ListenerSet>(type: typeof HTTPRoutes, app: App): T[] {
    return this.cache.ownedBy<T>(type, app.metadata.uid!).filter((o) => isControlledBy(o, app.metadata.uid));
  }

  /** Removes every route and ListenerSet of the App (it has no route, or nothing to route to yet). */
  async removeAll(app: App): Promise<void> {
    for (const type of [HTTPRoutes, ListenerSets]) for (const o of this.owned(type, app)) await this.client.deleteExact(type, o);
  }

  /** Applies the routes for `served` on `gateway`; the App's view of them. */
  async apply(app: App, gateway: GatewayChoice, served: Target[]): Promise<NonNullable<AppObservation['route']>> {
    const route = app.spec.route!;
    const parentRef = parentRefOf(app, gateway);
    const tags = served.filter((t) => t.tag).map((t) => t.tag!);
    const hostnames = [...route.hostnames, ...tags.flatMap((t) => tagHostnames(route, t))];
    const listenerSet = desiredListenerSet(app, gateway, hostnames);
    const ls = listenerSet ? (await applyChild<ListenerSet>(this.client, this.cache, ListenerSets, app, listenerSet)).object : undefined;
    for (const old of this.owned<ListenerSet>(ListenerSets, app)) if (!listenerSet) await this.client.deleteExact(ListenerSets, old);

    const wanted = [desiredRoute(app, parentRef, served), ...desiredTagRoutes(app, parentRef, served)];
    const routes = await Promise.all(wanted.map(async (r) => ({ name: r.metadata.name!, route: (await applyChild<HTTPRoute>(this.client, this.cache, HTTPRoutes, app, r)).object })));
    const names = new Set(wanted.map((r) => r.metadata.name));
    for (const old of this.owned<HTTPRoute>(HTTPRoutes, app)) if (!names.has(old.metadata.name)) await this.client.deleteExact(HTTPRoutes, old);

    const gatewayName = `${gateway.namespace}/${gateway.name}`;
    const summary = routeSummary({ routes, parentRef, gateway: gatewayName, ...(listenerSet ? { listenerSet: { name: listenerSet.metadata.name!, object: ls } } : {}) });
    const tagUrls = new Map(tags.map((t) => [t, urlsOf(route, tagHostnames(route, t))[0]!]));
    return { gateway: gatewayName, urls: urlsOf(route), tagUrls, ...(summary ? { summary } : {}) };
  }
}
