# One image for every service; the command picks which one runs.
#   docker build -t semantic-router .
#   docker run semantic-router                          # embedded mode (all services, one process)
#   docker run semantic-router node services/guard-worker/dist/main.js --config /etc/semantic-router/config.yaml
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc tsconfig.base.json tsconfig.json ./
COPY libs libs
COPY services services
COPY apps apps
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production SR_CONFIG=/app/config/config.yaml
COPY --from=build /app /app
COPY models models
COPY config config
USER node
EXPOSE 8801 50051 9190
CMD ["node", "apps/semantic-router/dist/main.js", "serve"]
