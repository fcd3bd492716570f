#!/usr/bin/env bash
# Builds etcd, kube-apiserver, kube-controller-manager and kubectl from the upstream Go
# modules pinned in this folder's go.mod, into a cache outside the repository.
#
#   hack/controlplane/build.sh [dest-dir]
#
# dest-dir defaults to $STRATUS_CACHE_DIR/k8s-<version> (~/.cache/stratus/…).
# The binaries are written to a temporary folder and moved into place only when
# all four built, so an interrupted build never leaves a half-filled cache.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

k8s_version=$(go list -m -f '{{.Version}}' k8s.io/kubernetes)
etcd_version=$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)
cache_root="${STRATUS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/stratus}"
dest="${1:-$cache_root/k8s-$k8s_version-etcd-$etcd_version}"

if [ -x "$dest/kube-apiserver" ] && [ -x "$dest/kube-controller-manager" ] && [ -x "$dest/kubectl" ] && [ -x "$dest/etcd" ]; then
  echo "control plane $k8s_version (etcd $etcd_version) already built in $dest"
  exit 0
fi

minor=${k8s_version#v1.}; minor=${minor%%.*}
build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ldflags=""
# The same variables Kubernetes' hack/lib/version.sh stamps, so /version is honest.
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
done

tmp="$dest.partial.$$"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"
start=$(date +%s)
echo "building kube-apiserver, kube-controller-manager, kubectl $k8s_version and etcd $etcd_version into $dest"
echo "(a cold build takes about 5 minutes on 2 cores, plus module downloads; later starts reuse the cache)"

# Progress: go build -v prints each package as it is compiled.
CGO_ENABLED=0 go build -v -trimpath -ldflags "-s -w $ldflags" -o "$tmp/" \
  k8s.io/kubernetes/cmd/kube-apiserver \
  k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kubectl 2>&1 |
  awk -v start="$start" '
    /^#|: / { print; fflush(); next }   # compiler errors pass through
    { n++; if (n % 100 == 0) { printf "  … %d packages compiled (%ds)\n", n, systime() - start; fflush() } }'
# The module proxy carries no commit hashes, so gitCommit/GitSHA stay unset.
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3

for bin in kube-apiserver kube-controller-manager kubectl etcd; do
  [ -x "$tmp/$bin" ] || { echo "build did not produce $bin" >&2; exit 1; }
done
mkdir -p "$(dirname "$dest")"
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
echo "built in $(( $(date +%s) - start ))s: $dest"
