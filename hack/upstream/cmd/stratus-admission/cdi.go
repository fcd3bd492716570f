package main

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net/http"

	snapclient "github.com/kubernetes-csi/external-snapshotter/client/v6/clientset/versioned"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	crclient "sigs.k8s.io/controller-runtime/pkg/client"

	cdiv1 "kubevirt.io/containerized-data-importer-api/pkg/apis/core/v1beta1"
	cdiwebhooks "kubevirt.io/containerized-data-importer/pkg/apiserver/webhooks"
	cdiclient "kubevirt.io/containerized-data-importer/pkg/client/clientset/versioned"
)

// registerCDI serves cdi-apiserver's DataVolume webhooks (the paths of its
// webhook configurations, cmd/stratus-crds/cdi-webhooks.go) with the handlers
// cdi-apiserver uses for them.
func registerCDI(mux *http.ServeMux, config *rest.Config) error {
	k8s, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	cdi, err := cdiclient.NewForConfig(config)
	if err != nil {
		return err
	}
	snap, err := snapclient.NewForConfig(config)
	if err != nil {
		return err
	}
	scheme := runtime.NewScheme()
	utilruntime.Must(corev1.AddToScheme(scheme))
	utilruntime.Must(cdiv1.AddToScheme(scheme))
	// The validating webhook reads a claim that exists before its DataVolume; cdi-apiserver caches other kinds, which it does not read.
	uncached, err := crclient.New(config, crclient.Options{Scheme: scheme})
	if err != nil {
		return err
	}
	// cdi-apiserver signs clone tokens with a key of its own; one per start does here.
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return fmt.Errorf("clone token key: %w", err)
	}
	mux.Handle("/datavolume-validate", cdiwebhooks.NewDataVolumeValidatingWebhook(k8s, cdi, snap, uncached))
	mux.Handle("/datavolume-mutate", cdiwebhooks.NewDataVolumeMutatingWebhook(k8s, cdi, key))
	return nil
}
