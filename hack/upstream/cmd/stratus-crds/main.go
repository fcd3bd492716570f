// stratus-crds writes the CustomResourceDefinitions of the third-party APIs
// Stratus drives, as their upstream projects produce them at the versions
// pinned in go.mod, one YAML file per CRD:
//
//   - KubeVirt and CDI build theirs in Go (virt-operator's components
//     package, CDI's operator resources), so they are called here;
//   - Gateway API, external-snapshotter, Multus' NetworkAttachmentDefinition
//     and MultiNetworkPolicy ship YAML in their modules, which is copied
//     after checking it names the group of the module's own Go API.
//
// It also writes virt-api's and cdi-apiserver's webhook configurations
// (admission/), which the embedded plane points at stratus-admission.
//
//	stratus-crds OUT_DIR MODULE=DIR...
//
// MODULE=DIR gives the folder of each YAML-shipping module (go list -m -f '{{.Dir}}').
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: stratus-crds OUT_DIR MODULE=DIR...")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "stratus-crds: %v\n", err)
		os.Exit(1)
	}
}

func run(out string, moduleArgs []string) error {
	modules := map[string]string{}
	for _, arg := range moduleArgs {
		module, dir, ok := strings.Cut(arg, "=")
		if !ok {
			return fmt.Errorf("want MODULE=DIR, got %q", arg)
		}
		modules[module] = dir
	}
	var crds []*extv1.CustomResourceDefinition
	for _, source := range []func(map[string]string) ([]*extv1.CustomResourceDefinition, error){kubeVirtCrds, cdiCrds, shippedCrds} {
		got, err := source(modules)
		if err != nil {
			return err
		}
		crds = append(crds, got...)
	}
	if err := os.MkdirAll(filepath.Join(out, "crds"), 0o755); err != nil {
		return err
	}
	for _, crd := range crds {
		if err := writeYAML(filepath.Join(out, "crds", crd.Name+".yaml"), crd); err != nil {
			return err
		}
	}
	if err := writeKubeVirtWebhooks(filepath.Join(out, "admission")); err != nil {
		return err
	}
	return writeCDIWebhooks(filepath.Join(out, "admission"))
}

// writeYAML writes an API object without the fields the apiserver owns
// (status, creationTimestamp), which Go's zero values would otherwise add.
func writeYAML(file string, obj any) error {
	raw, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	delete(m, "status")
	if meta, ok := m["metadata"].(map[string]any); ok {
		delete(meta, "creationTimestamp")
	}
	text, err := yaml.Marshal(m)
	if err != nil {
		return err
	}
	return os.WriteFile(file, text, 0o644)
}
