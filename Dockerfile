# The forum app for docker-compose.yml (MongoDB + Meilisearch) or any container host.
# Build stage: the full node:20 image has python3/make/g++ in case a native module
# (better-sqlite3, argon2) has no prebuilt binary for the platform.
FROM node:20-bookworm AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY views ./views
COPY static ./static
COPY scripts ./scripts
# The server's JavaScript bundle (scripts/build.mjs), built now so that a start only loads it.
RUN node scripts/build.mjs
# DATA_DIR is only used by the embedded SQLite backend; with MONGODB_URI it stays empty.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["npm", "start"]
