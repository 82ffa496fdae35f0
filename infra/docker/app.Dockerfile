# syntax=docker/dockerfile:1
# One recipe for every Wiber app image. Build from the repository root:
#   docker build -f infra/docker/app.Dockerfile --build-arg APP=gateway -t wiber/gateway .
# (docker compose -f infra/compose/docker-compose.yml build does this for all four apps.)
#
# Stages: manifests (package.json files only, for layer caching) -> build (`nx build APP`:
# the esbuild bundle dist/apps/APP/{main.cjs,avro/,package.json}) -> deps (`npm ci --omit=dev`
# of that app's workspace from the root lockfile: exactly the versions CI tested) -> runtime.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
# every workspace's package.json at its path, and the lockfile: what `npm ci` needs
RUN mkdir /manifests \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \; \
 && cp package-lock.json /manifests/

FROM ${NODE_IMAGE} AS build
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true
WORKDIR /workspace
COPY --from=manifests /manifests/ ./
# before ARG APP, so the four app builds share this layer
RUN npm ci --no-audit --no-fund
COPY . .
ARG APP
RUN test -n "${APP}" && test -f "apps/${APP}/project.json" \
 || { echo "build argument APP must name a project under apps/ (got '${APP}')" >&2; exit 1; }
RUN npx nx build "${APP}" --skip-nx-cache --output-style=static \
 && mkdir -p /out/avro \
 && cp "dist/apps/${APP}/package.json" /out/ \
 && cp dist/apps/"${APP}"/main.* /out/ \
 && if [ -d "dist/apps/${APP}/avro" ]; then cp -r "dist/apps/${APP}/avro/." /out/avro/; fi

FROM ${NODE_IMAGE} AS deps
ARG APP
WORKDIR /workspace
COPY --from=manifests /manifests/ ./
# production dependencies of this app only; the workspace libraries are bundled into main.cjs,
# so their links are dropped; install scripts are not needed at run time and are not run
RUN npm ci --omit=dev --workspace "apps/${APP}" --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/@wiber node_modules/.bin \
 && mkdir -p "apps/${APP}/node_modules"

FROM ${NODE_IMAGE} AS runtime
ARG APP
# the Dockerfile's own health check; compose passes the URL explicitly as well
ARG HEALTHCHECK_URL=""
ENV NODE_ENV=production \
    WIBER_APP=${APP} \
    HEALTHCHECK_URL=${HEALTHCHECK_URL}
LABEL org.opencontainers.image.title="wiber-${APP}" \
      org.opencontainers.image.source="infra/docker/app.Dockerfile"
WORKDIR /app
# code and dependencies stay owned by root: the app user can read but not change them
COPY --from=deps /workspace/node_modules ./node_modules
COPY --from=deps /workspace/apps/${APP}/node_modules ./apps/${APP}/node_modules
COPY --from=build /out/ ./apps/${APP}/
COPY infra/docker/healthcheck.cjs /app/healthcheck.cjs
WORKDIR /app/apps/${APP}
# the node user of the official image (uid/gid 1000), numeric so runAsNonRoot can verify it
USER 1000:1000
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 CMD ["node", "/app/healthcheck.cjs"]
# `node .` runs the "main" of the generated package.json (main.cjs); arguments after the
# image name go to the app, e.g. `docker compose run --rm dlq-replayer list`
ENTRYPOINT ["node", "--enable-source-maps", "."]
