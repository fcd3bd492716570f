# syntax=docker/dockerfile:1
# The Stratus controllers image: `stratus run` against the cluster it runs in
# (deploy/ runs it with --leader-elect). Build from the repository root:
#   docker build -t ghcr.io/stratus-dev/stratus:0.1.0 .
# Pin the base images by digest (node:20-bookworm-slim@sha256:…) in release builds.

# --- build: compile TypeScript, then drop the dev dependencies ---
FROM node:20-bookworm-slim AS build
WORKDIR /src
# Dependencies first, so source edits reuse this layer. No install scripts:
# no production dependency has one (the only one in the tree, jest's file
# watcher, is not needed to compile).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY bin ./bin
COPY pkg ./pkg
COPY controllers ./controllers
COPY test ./test
COPY bench ./bench
COPY crds ./crds
# tsc -b compiles everything tsconfig.json includes (tests too); the image
# keeps only the operator: what `stratus run` (and install, status, validate,
# sync) loads, without tests and without the embedded plane (`stratus up`:
# control plane, PKI, simulators — its PKI library is a dev dependency).
RUN npm run build \
 && rm -rf dist/test dist/bench dist/.tsbuildinfo dist/pkg/simulators dist/pkg/controlplane dist/pkg/cli/up.js dist/pkg/cli/up.js.map \
 && find dist -name '*.test.js' -delete -o -name '*.test.js.map' -delete \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# --- runtime ---
FROM node:20-bookworm-slim
ENV NODE_ENV=production
# A fixed non-root UID/GID, so Kubernetes' runAsNonRoot can verify it (the
# Deployment sets runAsUser 65532 too). No home directory: nothing is written.
RUN groupadd --system --gid 65532 stratus \
 && useradd --system --uid 65532 --gid 65532 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin stratus
WORKDIR /app
# Owned by root and not writable by the runtime user. crds/ is what
# `stratus install` applies; package.json marks the package root (the code
# finds crds/ from it) and says "type": "module".
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/bin ./bin
COPY --from=build /src/dist ./dist
COPY --from=build /src/crds ./crds
USER 65532:65532
# /healthz, /readyz, /metrics (--health-address).
EXPOSE 8081
ENTRYPOINT ["node", "bin/stratus.js"]
CMD ["run"]
