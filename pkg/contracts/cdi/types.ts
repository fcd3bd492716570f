// Names for parts of CDI's generated types used on their own.
import type { DataVolumeSpec, DataVolumeStatus } from './generated/data-volume.js';

export type DataVolumeSource = NonNullable<DataVolumeSpec['source']>;
export type DataVolumeCondition = NonNullable<DataVolumeStatus['conditions']>[number];
