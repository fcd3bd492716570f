// CDI's resources (kubevirt.io/containerized-data-importer), by group/version/resource.
import { resourceType as t } from '../../meta/resource.js';

export const DataVolumes = t('cdi.kubevirt.io', 'v1beta1', 'datavolumes', 'DataVolume');
export const DataSources = t('cdi.kubevirt.io', 'v1beta1', 'datasources', 'DataSource');
export const DataImportCrons = t('cdi.kubevirt.io', 'v1beta1', 'dataimportcrons', 'DataImportCron');
export const StorageProfiles = t('cdi.kubevirt.io', 'v1beta1', 'storageprofiles', 'StorageProfile', false);
export const CDIConfigs = t('cdi.kubevirt.io', 'v1beta1', 'cdiconfigs', 'CDIConfig', false);
