// stratus-admission serves, for the embedded control plane, the admission
// webhooks a real cluster runs for KubeVirt and CDI: virt-api's and
// cdi-apiserver's validating and mutating handlers, linked from
// kubevirt.io/kubevirt and kubevirt.io/containerized-data-importer at the
// versions pinned in go.mod. The plane registers them under the projects' own
// webhook configurations (see cmd/stratus-crds), so it refuses, and defaults,
// exactly what virt-api and cdi-apiserver would.
//
//	stratus-admission --kubeconfig FILE --cert FILE --key FILE --listen 127.0.0.1:PORT
//
// It serves /healthz once its informers have synced.
package main

import (
	"crypto/tls"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/client-go/tools/clientcmd"
	aggregatorclient "k8s.io/kube-aggregator/pkg/client/clientset_generated/clientset"

	"kubevirt.io/client-go/kubecli"

	"kubevirt.io/kubevirt/pkg/controller"
	"kubevirt.io/kubevirt/pkg/virt-api/webhooks"
	virtconfig "kubevirt.io/kubevirt/pkg/virt-config"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the apiserver to read (informers)")
	cert := flag.String("cert", "", "serving certificate (PEM)")
	key := flag.String("key", "", "serving key (PEM)")
	listen := flag.String("listen", "127.0.0.1:8443", "address to serve on")
	namespace := flag.String("namespace", "kubevirt", "KubeVirt's install namespace (its service accounts are trusted as virt-api trusts them)")
	flag.Parse()
	if err := run(*kubeconfig, *cert, *key, *listen, *namespace); err != nil {
		fmt.Fprintf(os.Stderr, "stratus-admission: %v\n", err)
		os.Exit(1)
	}
}

func run(kubeconfig, cert, key, listen, namespace string) error {
	restConfig, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return fmt.Errorf("kubeconfig: %w", err)
	}
	// The webhooks read through informers; a local plane can take the default burst many times over.
	restConfig.QPS, restConfig.Burst = 100, 200
	virtCli, err := kubecli.GetKubevirtClientFromRESTConfig(restConfig)
	if err != nil {
		return fmt.Errorf("kubevirt client: %w", err)
	}
	aggregator, err := aggregatorclient.NewForConfig(restConfig)
	if err != nil {
		return fmt.Errorf("aggregator client: %w", err)
	}

	stop := make(chan struct{})
	factory := controller.NewKubeInformerFactory(virtCli.RestClient(), virtCli, aggregator, namespace)
	kubeVirtInformer := factory.KubeVirt()
	crdInformer := factory.CRD()
	informers := &webhooks.Informers{
		VMIPresetInformer: factory.VirtualMachinePreset(),
		VMRestoreInformer: factory.VirtualMachineRestore(),
		VMBackupInformer:  factory.VirtualMachineBackup(),
		NamespaceInformer: factory.Namespace(),
	}
	factory.Start(stop)
	factory.WaitForCacheSync(stop)

	// Without a KubeVirt CR the configuration is KubeVirt's defaults, as for a fresh install.
	clusterConfig, err := virtconfig.NewClusterConfig(crdInformer, kubeVirtInformer, namespace)
	if err != nil {
		return fmt.Errorf("cluster config: %w", err)
	}
	if clusterConfig.HasDataSourceAPI() {
		informers.DataSourceInformer = factory.DataSource()
	} else {
		informers.DataSourceInformer = factory.DummyDataSource()
	}
	factory.Start(stop)
	factory.WaitForCacheSync(stop)

	mux := http.NewServeMux()
	registerKubeVirt(mux, &kubeVirtHandlers{
		clusterConfig:   clusterConfig,
		virtCli:         virtCli,
		informers:       informers,
		serviceAccounts: webhooks.KubeVirtServiceAccounts(namespace),
	})
	if err := registerCDI(mux, restConfig); err != nil {
		return fmt.Errorf("CDI webhooks: %w", err)
	}
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) })

	pair, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		return fmt.Errorf("serving certificate: %w", err)
	}
	server := &http.Server{
		Addr:      listen,
		Handler:   mux,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12},
	}
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-signals
		close(stop)
		_ = server.Close()
	}()
	fmt.Fprintf(os.Stderr, "stratus-admission: serving KubeVirt's and CDI's webhooks on https://%s\n", listen)
	if err := server.ListenAndServeTLS("", ""); err != nil && err != http.ErrServerClosed {
		return err
	}
	return nil
}
