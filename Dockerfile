# larkgate's image: the gateway on port 9000, its SQLite database in the /data volume.
#
#   docker build -t larkgate .
#   docker run -d -e APP_ID=… -e APP_SECRET=… -e OPENAI_KEY=… -p 9000:9000 -v larkgate:/data larkgate
#
# A larkgate.yaml mounted at /app/larkgate.yaml (or named by CONFIG_FILE) is read; without one
# the environment alone configures the bot, as for czlchat-feishu. docs/deploy.md has more.

# Build stage: every dependency (TypeScript for the build), then only what runs is kept.
FROM node:20-bookworm-slim AS build
# better-sqlite3 downloads a prebuilt binary when it can reach GitHub and compiles otherwise;
# the compiler makes the build work either way.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# Compile against the headers the image ships rather than downloading them from nodejs.org.
ENV npm_config_nodedir=/usr/local
WORKDIR /build
COPY package.json package-lock.json .npmrc ./
# The dependencies before the sources: this layer, with better-sqlite3's compile, stays cached
# while only the sources change.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Pruning keeps the compiled better-sqlite3 (a second `npm ci --omit=dev` would compile again);
# its object files and SQLite's sources (15 MB) are never read at run time.
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && (cd node_modules/better-sqlite3 && rm -rf deps build/Release/obj* build/Release/.deps) \
  && chmod +x dist/src/cli/larkgate.js

# Runtime stage: node, the production dependencies and dist/src; no compiler, no npm step.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
  DATABASE_URL=sqlite:/data/larkgate.db
WORKDIR /app
# Owned by root, so the gateway (running as `node`) cannot change its own code.
COPY --from=build /build/package.json ./
COPY --from=build /build/node_modules ./node_modules
COPY --from=build /build/dist/src ./dist/src
# The web console's stylesheet and script (not compiled, so not in dist/).
COPY --from=build /build/src/console/assets ./src/console/assets
# /data belongs to `node` before it becomes a volume, so a new named volume does too;
# `larkgate` on the PATH for `docker exec <container> larkgate check`.
RUN mkdir -p /data \
  && chown node:node /data \
  && ln -s /app/dist/src/cli/larkgate.js /usr/local/bin/larkgate
USER node
VOLUME /data
EXPOSE 9000
# No curl in the slim image: node asks /ping on the port the gateway listens on.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HTTP_PORT||process.env.PORT||9000}/ping`).then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is process 1 itself (no npm, no shell, no entrypoint script), so `docker stop`'s
# SIGTERM reaches the gateway, which finishes the answers in flight (up to 10 s) and exits.
ENTRYPOINT []
CMD ["node", "dist/src/main.js"]
