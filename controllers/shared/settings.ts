// The cluster-wide settings (pkg/api/settings.ts) as the controllers see
// them: one watched ConfigMap, parsed once per change. Wrong entries fall
// back to the defaults and are logged once per change of the ConfigMap (the
// settings admission policy refuses them in the first place).
import type { Logger } from 'winston';
import { parseSettings, settingsName, type Settings } from '../../pkg/api/settings.js';
import { ConfigMaps } from '../../pkg/kube/resources.js';
import type { Informer } from '../../pkg/runtime/cache/informer.js';
import type { Manager } from '../../pkg/runtime/manager/manager.js';
import type { KubeObject } from '../../pkg/meta/object.js';

type ConfigMap = KubeObject & { data?: Record<string, string> };

export class SettingsSource {
  readonly informer: Informer<ConfigMap>;
  private parsed?: { resourceVersion: string | undefined; settings: Settings };

  constructor(
    mgr: Manager,
    private readonly namespace: string,
    private readonly log: Logger = mgr.log,
  ) {
    this.informer = mgr.cache.informer<ConfigMap>(ConfigMaps, { namespace, fieldSelector: `metadata.name=${settingsName}` });
  }

  get current(): Settings {
    const cm = this.informer.list()[0];
    const resourceVersion = cm?.metadata.resourceVersion;
    if (this.parsed && this.parsed.resourceVersion === resourceVersion) return this.parsed.settings;
    const { settings, errors } = parseSettings(cm?.data);
    for (const error of errors) this.log.warn('settings: entry ignored', { configMap: `${this.namespace}/${settingsName}`, error });
    this.parsed = { resourceVersion, settings };
    return settings;
  }
}
