package main

import (
	"os"
	"path/filepath"

	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"

	"kubevirt.io/kubevirt/pkg/virt-operator/resource/generate/components"
)

// kubevirtNamespace is where virt-operator installs KubeVirt; its service
// accounts are the ones virt-api trusts.
const kubevirtNamespace = "kubevirt"

// kubeVirtCrds are every CRD virt-operator installs, built by its own code.
func kubeVirtCrds(map[string]string) ([]*extv1.CustomResourceDefinition, error) {
	constructors := []func() (*extv1.CustomResourceDefinition, error){
		components.NewKubeVirtCrd,
		components.NewVirtualMachineInstanceCrd,
		components.NewVirtualMachineCrd,
		components.NewPresetCrd,
		components.NewReplicaSetCrd,
		components.NewVirtualMachineInstanceMigrationCrd,
		components.NewVirtualMachinePoolCrd,
		components.NewVirtualMachineSnapshotCrd,
		components.NewVirtualMachineSnapshotContentCrd,
		components.NewVirtualMachineRestoreCrd,
		components.NewVirtualMachineExportCrd,
		components.NewVirtualMachineBackupCrd,
		components.NewVirtualMachineBackupTrackerCrd,
		components.NewVirtualMachineInstancetypeCrd,
		components.NewVirtualMachineClusterInstancetypeCrd,
		components.NewVirtualMachinePreferenceCrd,
		components.NewVirtualMachineClusterPreferenceCrd,
		components.NewMigrationPolicyCrd,
		components.NewVirtualMachineCloneCrd,
	}
	crds := make([]*extv1.CustomResourceDefinition, 0, len(constructors))
	for _, build := range constructors {
		crd, err := build()
		if err != nil {
			return nil, err
		}
		crds = append(crds, crd)
	}
	return crds, nil
}

// writeKubeVirtWebhooks writes virt-api's mutating and validating webhook
// configurations as virt-operator creates them (they name a Service; the
// plane replaces that with stratus-admission's URL and its CA).
func writeKubeVirtWebhooks(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeYAML(filepath.Join(dir, "virt-api-mutator.yaml"), components.NewVirtAPIMutatingWebhookConfiguration(kubevirtNamespace)); err != nil {
		return err
	}
	return writeYAML(filepath.Join(dir, "virt-api-validator.yaml"), components.NewVirtAPIValidatingWebhookConfiguration(kubevirtNamespace))
}
