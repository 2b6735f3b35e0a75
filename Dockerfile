# syntax=docker/dockerfile:1
# One image, two roles: DRIVER_ROLE=api (REST adapter) or DRIVER_ROLE=worker (Temporal worker); default runs both.
# docker build --build-arg BUILD_COMMIT=$(git rev-parse HEAD) .   (the build context holds no .git)
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so source edits reuse this layer.
COPY package.json package-lock.json ./
# npm install, not npm ci: lock files written by npm 11 lack other platforms' optional binaries (see .ci/run).
RUN npm install --no-audit --no-fund
COPY . .
# `npm run build` compiles to dist/ and records commit and build time in dist/build-info.json (/version).
# Unset or `unknown`: commit `unknown` (no git here) and the time of this build.
ARG BUILD_COMMIT=
ARG BUILD_TIME=
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ARG BUILD_COMMIT=unknown
ARG BUILD_TIME=unknown
LABEL org.opencontainers.image.title="pnc-environment-driver" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.revision="${BUILD_COMMIT}" \
      org.opencontainers.image.created="${BUILD_TIME}"
# No BUILD_* variables here: dist/build-info.json holds what the build recorded (they would override it).
# stdout is no terminal in a container: one JSON object per line (LOG_FORMAT=pretty for humans).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
# Owned by root, run as the image's unprivileged "node" user (uid 1000): the app cannot rewrite itself.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8080
CMD ["node", "dist/src/main.js"]
