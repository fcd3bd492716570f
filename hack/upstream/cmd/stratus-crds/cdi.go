package main

import (
	"fmt"
	"sort"
	"strings"

	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	k8syaml "k8s.io/apimachinery/pkg/util/yaml"

	cdiresources "kubevirt.io/containerized-data-importer/pkg/operator/resources"
)

// cdiCrds are every CRD cdi-operator installs: the YAML its crd-generator
// embeds in its resources package, decoded as cdi-operator decodes it.
func cdiCrds(map[string]string) ([]*extv1.CustomResourceDefinition, error) {
	keys := make([]string, 0, len(cdiresources.CDICRDs))
	for k := range cdiresources.CDICRDs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	crds := make([]*extv1.CustomResourceDefinition, 0, len(keys))
	for _, k := range keys {
		crd := &extv1.CustomResourceDefinition{}
		if err := k8syaml.NewYAMLToJSONDecoder(strings.NewReader(cdiresources.CDICRDs[k])).Decode(crd); err != nil {
			return nil, fmt.Errorf("CDI CRD %s: %w", k, err)
		}
		crds = append(crds, crd)
	}
	return crds, nil
}
