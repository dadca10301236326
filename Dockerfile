# echarts-farm: Debian, the current Node LTS, Debian's Chromium and CJK fonts.
# System packages come from docker/install-system.sh, the same script .ci/run uses.

FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY cli cli
COPY config config
COPY errors errors
COPY server server
COPY tasks tasks
COPY storage storage
COPY renderer renderer
COPY regression regression
COPY test test
COPY bench bench
RUN npm run build

FROM node:24-bookworm-slim
WORKDIR /app
COPY docker/install-system.sh /usr/local/bin/install-system.sh
RUN bash /usr/local/bin/install-system.sh tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PUPPETEER_SKIP_DOWNLOAD=true \
    CHROMIUM_PATH=/usr/lib/chromium/chromium \
    PORT=3000
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist dist
COPY pages pages
# The dashboard's HTML, script and style sheet are served from the sources (no build step).
COPY server/dashboard server/dashboard
RUN groupadd --system farm && useradd --system --gid farm --create-home farm
USER farm
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/cli/main.js", "serve"]
