// Names for parts of CDI's generated types used on their own.
import type { DataSource } from './generated/data-source.js';
import type { DataVolumeSpec, DataVolumeStatus } from './generated/data-volume.js';

export type DataVolumeSource = NonNullable<DataVolumeSpec['source']>;
export type DataVolumeCondition = NonNullable<DataVolumeStatus['conditions']>[number];
export type DataSourceCondition = NonNullable<NonNullable<DataSource['status']>['conditions']>[number];
