// Annotations CDI reads and writes (containerized-data-importer-api
// core/v1beta1 and pkg/controller/common), which Stratus reads and the
// simulated CDI writes.
export const populationAnnotations = {
  /** On a DataVolume whose claim exists already (a restore is putting it back): CDI makes none. */
  prePopulated: 'cdi.kubevirt.io/storage.prePopulated',
  /** On a claim made for a DataVolume by someone else: CDI adopts it. */
  populatedFor: 'cdi.kubevirt.io/storage.populatedFor',
} as const;

/** The DataSource condition clones wait for. */
export const dataSourceReady = 'Ready';
