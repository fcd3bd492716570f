// Preloaded with `node --import`: registers module-log-hooks.js, so the
// process logs every module it loads.
import { register } from 'node:module';

register('./module-log-hooks.js', import.meta.url);
