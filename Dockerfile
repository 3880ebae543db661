# CAIO Alpha Swarm: the compiled CLI. One image for every role:
#   docker run IMAGE serve            (stateless HTTP: webhooks, dashboard, API; enqueues jobs)
#   docker run IMAGE worker           (jobs from Redis; run as many as you need)
#   docker run IMAGE db migrate       (apply migrations before a rollout)
# Configuration comes from the environment (DATABASE_URL, REDIS_URL, provider keys: see README)
# and optionally a config file mounted at /app/caio.config.json.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json drizzle.config.ts ./
COPY src ./src
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The migrations are read from src/store/migrations at run time.
COPY --from=build /app/src/store/migrations ./src/store/migrations
RUN mkdir -p /app/.caio && chown node:node /app/.caio
USER node
EXPOSE 8080
ENTRYPOINT ["node", "dist/src/main.js"]
CMD ["serve", "--host", "0.0.0.0"]
