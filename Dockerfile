# syntax=docker/dockerfile:1
# One Dockerfile for every Legwork service; the service is a build argument:
#   docker build --build-arg SERVICE=executor --build-arg PORT=3001 -t legwork/executor:dev .
# SERVICE: gateway | executor | reconciler | orphan-monitor | bybit-sim (PORT: its HTTP port).
# Every image carries the whole compiled dist/ (a few MB of JS: the CLI's `migrate` runs from the
# service's own image, so an init container migrates with exactly that version's migrations);
# what differs is the default command, the exposed port and the health check.
# docker-compose.yml builds all of them; the build stages are shared through the layer cache.

# Node 22 LTS (maintained to 2027-04-30): the supported runtime. Dependencies that declare
# Node >= 22 (@nats-io/nuid 3, kubernetes-models 5) or >= 22.13 on the 22 line (typeorm 1.1)
# are satisfied by every current node:22 image; package.json's engines says the same.
ARG NODE_IMAGE=node:22-bookworm-slim

# ---- build: every dependency, compile TypeScript to dist/ --------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV NX_DAEMON=false NX_NO_CLOUD=true CI=true
COPY package.json package-lock.json ./
# Exactly the committed lock file (it lists every platform's optional binaries): a lock file npm
# refuses fails the build, never falls back to a resolving install.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.base.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

# ---- prod-deps: runtime dependencies only, without install scripts, pruned ---------------------
# Pruned: source maps, TypeScript sources and declarations, READMEs/CHANGELOGs, and ccxt's ESM copy
# and browser bundle (the services load ccxt's CommonJS build, dist/cjs): 164 MB → 80 MB.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && find node_modules -type f \( -name '*.map' -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -iname 'CHANGELOG*' -o -iname 'README*' \) -delete \
 && rm -rf node_modules/ccxt/js node_modules/ccxt/dist/ccxt.browser*.js

# ---- runtime: Node, prod node_modules, dist/; read-only code, non-root -------------------------
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE=gateway
ARG PORT=3000
ENV NODE_ENV=production \
    LEGWORK_SERVICE=${SERVICE} \
    HEALTHCHECK_PORT=${PORT}
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /src/dist/apps ./dist/apps
COPY --from=build /src/dist/libs ./dist/libs
COPY package.json ./
COPY ops/docker/healthcheck.js ./healthcheck.js
# The default command is this image's service; fail the build for an unknown SERVICE.
RUN test -f "dist/apps/${SERVICE}/src/main.js" \
 && printf "require('./apps/%s/src/main.js');\n" "${SERVICE}" > dist/main.js
# uid/gid 1000 (`node` in the official image): Kubernetes manifests pin runAsUser 1000.
USER node
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["node", "/app/healthcheck.js"]
# Node runs as PID 1 and handles SIGTERM itself (every service drains and exits on it).
CMD ["node", "dist/main.js"]
