# syntax=docker/dockerfile:1
# One image recipe for both services: docker build --build-arg SERVICE=backlog|metrics-ingestion .
# Build context: the repository root (docker compose sets it).
FROM node:20-bookworm-slim AS build
WORKDIR /app
# patches/: a fix to the MongoDB driver, applied by npm ci's postinstall (see patches/README.md).
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY libs ./libs
COPY services ./services
# tools/ holds the topic creator and the simulator that compose runs from the ingestion image.
COPY tools ./tools
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ARG SERVICE=backlog
ARG PORT=3002
# metrics-ingestion: a 32 MiB semi-space halves the scavenges of the per-record object graphs
# (docs/benchmarks.md); set by compose as NODE_FLAGS.
ARG NODE_FLAGS=""
ENV NODE_ENV=production FULCRUM_BIND_HOST=0.0.0.0 FULCRUM_SERVICE=${SERVICE} \
    FULCRUM_HEALTH_PORT=${PORT} NODE_FLAGS=${NODE_FLAGS}
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json tsconfig.json ./
COPY --chown=node:node scripts/register-paths.js ./scripts/register-paths.js
USER node
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.FULCRUM_HEALTH_PORT+'/health/ready').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# A shell expands the service chosen at build time; exec hands it PID 1 so SIGTERM reaches Node.
CMD ["sh", "-c", "exec node $NODE_FLAGS -r ./scripts/register-paths.js dist/services/$FULCRUM_SERVICE/src/main.js"]
