package main

import (
	"net/http"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	v1 "kubevirt.io/api/core/v1"
	"kubevirt.io/client-go/kubecli"

	netadmitter "kubevirt.io/kubevirt/pkg/network/admitter"
	"kubevirt.io/kubevirt/pkg/virt-api/webhooks"
	mutating "kubevirt.io/kubevirt/pkg/virt-api/webhooks/mutating-webhook"
	validating "kubevirt.io/kubevirt/pkg/virt-api/webhooks/validating-webhook"
	virtconfig "kubevirt.io/kubevirt/pkg/virt-config"
	"kubevirt.io/kubevirt/pkg/virt-operator/resource/generate/components"
)

type kubeVirtHandlers struct {
	clusterConfig   *virtconfig.ClusterConfig
	virtCli         kubecli.KubevirtClient
	informers       *webhooks.Informers
	serviceAccounts map[string]struct{}
}

// registerKubeVirt serves every path that virt-api's webhook configurations
// name (components.NewVirtAPIValidatingWebhookConfiguration and
// NewVirtAPIMutatingWebhookConfiguration), with the handlers virt-api uses
// for them: a path left out would fail its webhook, and most fail closed.
func registerKubeVirt(mux *http.ServeMux, h *kubeVirtHandlers) {
	cc, cli, inf, sas := h.clusterConfig, h.virtCli, h.informers, h.serviceAccounts
	serve := func(path string, handler func(http.ResponseWriter, *http.Request)) { mux.HandleFunc(path, handler) }

	serve(components.VMICreateValidatePath, func(w http.ResponseWriter, r *http.Request) {
		// virt-api adds the network admitter as the one extra spec validator.
		validating.ServeVMICreate(w, r, cc, sas, func(f *field.Path, spec *v1.VirtualMachineInstanceSpec, c *virtconfig.ClusterConfig) []metav1.StatusCause {
			return netadmitter.Validate(f, spec, c)
		})
	})
	serve(components.VMIUpdateValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeVMIUpdate(w, r, cc, sas) })
	serve(components.VMValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeVMs(w, r, cc, cli, inf, sas) })
	serve(components.VMIRSValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeVMIRS(w, r, cc) })
	serve(components.VMPoolValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeVMPool(w, r, cc, sas) })
	serve(components.VMIPresetValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeVMIPreset(w, r) })
	serve(components.MigrationCreateValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeMigrationCreate(w, r, cc, cli, sas) })
	serve(components.MigrationUpdateValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeMigrationUpdate(w, r) })
	serve(components.VMSnapshotValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeVMSnapshots(w, r, cc, cli) })
	serve(components.VMRestoreValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeVMRestores(w, r, cc, cli, inf) })
	serve(components.VMBackupValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeVMBackups(w, r, cc, cli, inf) })
	serve(components.VMBackupTrackerValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeVMBackupTrackers(w, r, cc) })
	serve(components.VMExportValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeVMExports(w, r, cc) })
	serve(components.VMInstancetypeValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeVmInstancetypes(w, r) })
	serve(components.VMClusterInstancetypeValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeVmClusterInstancetypes(w, r) })
	serve(components.VMPreferenceValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeVmPreferences(w, r) })
	serve(components.VMClusterPreferenceValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeVmClusterPreferences(w, r) })
	serve(components.StatusValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeStatusValidation(w, r, cc, cli, inf, sas) })
	serve(components.PodEvictionValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServePodEvictionInterceptor(w, r, cc, cli) })
	serve(components.MigrationPolicyCreateValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeMigrationPolicies(w, r) })
	serve(components.VMCloneCreateValidatePath, func(w http.ResponseWriter, r *http.Request) { validating.ServeVirtualMachineClones(w, r, cc, cli) })

	serve(components.VMMutatePath, func(w http.ResponseWriter, r *http.Request) { mutating.ServeVMs(w, r, cc, cli) })
	serve(components.VMIMutatePath, func(w http.ResponseWriter, r *http.Request) { mutating.ServeVMIs(w, r, cc, inf, sas) })
	serve(components.MigrationMutatePath, func(w http.ResponseWriter, r *http.Request) { mutating.ServeMigrationCreate(w, r) })
	serve(components.VMCloneCreateMutatePath, func(w http.ResponseWriter, r *http.Request) { mutating.ServeClones(w, r) })
}
