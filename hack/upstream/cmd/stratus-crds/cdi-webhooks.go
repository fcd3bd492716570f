package main

import (
	"path/filepath"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	cdiv1 "kubevirt.io/containerized-data-importer-api/pkg/apis/core/v1beta1"
)

// cdiNamespace is where cdi-operator installs CDI, and cdiAPIService the Service of cdi-apiserver.
const (
	cdiNamespace  = "cdi"
	cdiAPIService = "cdi-api"
)

// cdiWebhook is one of cdi-apiserver's DataVolume webhooks as cdi-operator
// registers it (createDataVolumeValidatingWebhook and
// createDataVolumeMutatingWebhook in pkg/operator/resources/cluster/apiserver.go):
// restated here because that package does not build under KubeVirt's
// openshift/api pin. The handlers behind them are CDI's own (stratus-admission).
func cdiWebhook(path string) (rules []admissionregistrationv1.RuleWithOperations, client admissionregistrationv1.WebhookClientConfig) {
	scope := admissionregistrationv1.AllScopes
	port := int32(443)
	rules = []admissionregistrationv1.RuleWithOperations{{
		Operations: []admissionregistrationv1.OperationType{admissionregistrationv1.Create, admissionregistrationv1.Update},
		Rule: admissionregistrationv1.Rule{
			APIGroups:   []string{cdiv1.SchemeGroupVersion.Group},
			APIVersions: []string{cdiv1.SchemeGroupVersion.Version},
			Resources:   []string{"datavolumes"},
			Scope:       &scope,
		},
	}}
	client = admissionregistrationv1.WebhookClientConfig{Service: &admissionregistrationv1.ServiceReference{Namespace: cdiNamespace, Name: cdiAPIService, Path: &path, Port: &port}}
	return rules, client
}

func writeCDIWebhooks(dir string) error {
	fail := admissionregistrationv1.Fail
	exact := admissionregistrationv1.Exact
	none := admissionregistrationv1.SideEffectClassNone
	never := admissionregistrationv1.NeverReinvocationPolicy
	timeout := int32(30)
	meta := func(name string) metav1.ObjectMeta {
		return metav1.ObjectMeta{Name: name, Labels: map[string]string{"cdi.kubevirt.io": cdiAPIService}}
	}
	validateRules, validateClient := cdiWebhook("/datavolume-validate")
	validating := &admissionregistrationv1.ValidatingWebhookConfiguration{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: "ValidatingWebhookConfiguration"},
		ObjectMeta: meta("cdi-api-datavolume-validate"),
		Webhooks: []admissionregistrationv1.ValidatingWebhook{{
			Name: "datavolume-validate.cdi.kubevirt.io", Rules: validateRules, ClientConfig: validateClient,
			FailurePolicy: &fail, SideEffects: &none, MatchPolicy: &exact, TimeoutSeconds: &timeout,
			NamespaceSelector: &metav1.LabelSelector{}, ObjectSelector: &metav1.LabelSelector{}, AdmissionReviewVersions: []string{"v1", "v1beta1"},
		}},
	}
	mutateRules, mutateClient := cdiWebhook("/datavolume-mutate")
	mutating := &admissionregistrationv1.MutatingWebhookConfiguration{
		TypeMeta:   metav1.TypeMeta{APIVersion: "admissionregistration.k8s.io/v1", Kind: "MutatingWebhookConfiguration"},
		ObjectMeta: meta("cdi-api-datavolume-mutate"),
		Webhooks: []admissionregistrationv1.MutatingWebhook{{
			Name: "datavolume-mutate.cdi.kubevirt.io", Rules: mutateRules, ClientConfig: mutateClient,
			FailurePolicy: &fail, SideEffects: &none, MatchPolicy: &exact, TimeoutSeconds: &timeout, ReinvocationPolicy: &never,
			NamespaceSelector: &metav1.LabelSelector{}, ObjectSelector: &metav1.LabelSelector{}, AdmissionReviewVersions: []string{"v1", "v1beta1"},
		}},
	}
	if err := writeYAML(filepath.Join(dir, validating.Name+".yaml"), validating); err != nil {
		return err
	}
	return writeYAML(filepath.Join(dir, mutating.Name+".yaml"), mutating)
}
