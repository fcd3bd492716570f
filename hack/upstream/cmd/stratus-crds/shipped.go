package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	k8syaml "k8s.io/apimachinery/pkg/util/yaml"

	nad "github.com/k8snetworkplumbingwg/network-attachment-definition-client/pkg/apis/k8s.cni.cncf.io"
	mnp "github.com/k8snetworkplumbingwg/multi-networkpolicy/pkg/apis/k8s.cni.cncf.io"
	snapshotv1 "github.com/kubernetes-csi/external-snapshotter/client/v8/apis/volumesnapshot/v1"
	gatewayv1 "sigs.k8s.io/gateway-api/apis/v1"
	gatewayconsts "sigs.k8s.io/gateway-api/pkg/consts"
)

// shipped names, per module, the CRD files it ships and the API group its
// Go code registers, which every CRD taken from it must serve.
var shipped = []struct {
	module string
	files  []string
	group  string
	// check, when set, looks at each CRD further.
	check func(*extv1.CustomResourceDefinition) error
}{
	{
		module: "sigs.k8s.io/gateway-api",
		files: []string{
			// The standard channel, without its ValidatingAdmissionPolicy (gateway.networking.k8s.io_vap_safeupgrades.yaml).
			"config/crd/standard/gateway.networking.k8s.io_gatewayclasses.yaml",
			"config/crd/standard/gateway.networking.k8s.io_gateways.yaml",
			"config/crd/standard/gateway.networking.k8s.io_httproutes.yaml",
			"config/crd/standard/gateway.networking.k8s.io_grpcroutes.yaml",
			"config/crd/standard/gateway.networking.k8s.io_referencegrants.yaml",
			"config/crd/standard/gateway.networking.k8s.io_backendtlspolicies.yaml",
			"config/crd/standard/gateway.networking.k8s.io_listenersets.yaml",
			"config/crd/standard/gateway.networking.k8s.io_tlsroutes.yaml",
			"config/crd/standard/gateway.networking.k8s.io_tcproutes.yaml",
			"config/crd/standard/gateway.networking.k8s.io_udproutes.yaml",
		},
		group: gatewayv1.GroupName,
		check: func(crd *extv1.CustomResourceDefinition) error {
			if got := crd.Annotations[gatewayconsts.BundleVersionAnnotation]; got != gatewayconsts.BundleVersion {
				return fmt.Errorf("%s: %s is %q, the module says %q", crd.Name, gatewayconsts.BundleVersionAnnotation, got, gatewayconsts.BundleVersion)
			}
			return nil
		},
	},
	{
		module: "github.com/kubernetes-csi/external-snapshotter/client/v8",
		files: []string{
			"config/crd/snapshot.storage.k8s.io_volumesnapshotclasses.yaml",
			"config/crd/snapshot.storage.k8s.io_volumesnapshotcontents.yaml",
			"config/crd/snapshot.storage.k8s.io_volumesnapshots.yaml",
		},
		group: snapshotv1.GroupName,
	},
	{
		module: "github.com/k8snetworkplumbingwg/network-attachment-definition-client",
		files:  []string{"artifacts/networks-crd.yaml"},
		group:  nad.GroupName,
	},
	{
		module: "github.com/k8snetworkplumbingwg/multi-networkpolicy",
		files:  []string{"scheme.yml"},
		group:  mnp.GroupName,
	},
}

func shippedCrds(modules map[string]string) ([]*extv1.CustomResourceDefinition, error) {
	var crds []*extv1.CustomResourceDefinition
	for _, s := range shipped {
		dir, ok := modules[s.module]
		if !ok {
			return nil, fmt.Errorf("no folder given for %s", s.module)
		}
		for _, file := range s.files {
			got, err := readCrds(filepath.Join(dir, file))
			if err != nil {
				return nil, fmt.Errorf("%s/%s: %w", s.module, file, err)
			}
			if len(got) == 0 {
				return nil, fmt.Errorf("%s/%s holds no CustomResourceDefinition", s.module, file)
			}
			for _, crd := range got {
				if crd.Spec.Group != s.group {
					return nil, fmt.Errorf("%s/%s: %s serves group %s, not the module's %s", s.module, file, crd.Name, crd.Spec.Group, s.group)
				}
				if s.check != nil {
					if err := s.check(crd); err != nil {
						return nil, err
					}
				}
			}
			crds = append(crds, got...)
		}
	}
	sort.SliceStable(crds, func(i, j int) bool { return crds[i].Name < crds[j].Name })
	return crds, nil
}

// readCrds reads the CustomResourceDefinitions of a multi-document YAML file,
// skipping its other documents.
func readCrds(file string) ([]*extv1.CustomResourceDefinition, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	decoder := k8syaml.NewYAMLOrJSONDecoder(bytes.NewReader(raw), 4096)
	var crds []*extv1.CustomResourceDefinition
	for {
		crd := &extv1.CustomResourceDefinition{}
		if err := decoder.Decode(crd); err != nil {
			if errors.Is(err, io.EOF) {
				return crds, nil
			}
			return nil, err
		}
		if crd.Kind == "CustomResourceDefinition" {
			crds = append(crds, crd)
		}
	}
}
