# syntax=docker/dockerfile:1
# echarts-farm: Debian bookworm (the CI's Debian, so fonts and Chromium give the same render
# fingerprint), the current Node LTS, Debian's Chromium and CJK fonts, tini as init, a non-root user.
# System packages come from docker/install-system.sh, the same script .ci/run uses.
#   docker build -t echarts-farm .
#   docker run --shm-size=1g -p 3000:3000 echarts-farm            # serve; `api` or `worker` as command
# Without a registry: `bash docker/local-base.sh` builds a local stand-in of the base (see
# docker/README.md), or name another Node 24 bookworm image with --build-arg BASE=….

ARG BASE=node:24-bookworm-slim
FROM ${BASE} AS build
WORKDIR /app
ENV PUPPETEER_SKIP_DOWNLOAD=true
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci --no-audit --no-fund
# Every folder tsconfig.json compiles (tests, bench and examples included); .dockerignore keeps
# node_modules, dist, data and reports out of the context.
COPY . .
RUN npm run build

FROM ${BASE}
WORKDIR /app
COPY docker/image-slim.dpkg.cfg /etc/dpkg/dpkg.cfg.d/image-slim
COPY docker/install-system.sh /usr/local/bin/install-system.sh
# apt-get clean: a base without Debian's docker-clean setting keeps every downloaded package.
RUN bash /usr/local/bin/install-system.sh tini && apt-get clean \
    && rm -rf /var/lib/apt/lists/* /var/log/apt /var/log/dpkg.log
# Debian's /usr/bin/chromium is a shell wrapper that adds flags of its own; the farm starts the binary.
ENV NODE_ENV=production \
    PUPPETEER_SKIP_DOWNLOAD=true \
    CHROMIUM_PATH=/usr/lib/chromium/chromium \
    PORT=3000 \
    WORKER_HTTP_PORT=9464
COPY package.json package-lock.json .puppeteerrc.cjs ./
# Production dependencies only. TypeScript stays behind as an optional peer of a dependency's config
# loader (which never reads TypeScript here), and type packages load at no run time. ECharts runs
# from dist/echarts.min.js (chart page and server-side SVG) and its themes: its other builds and
# source maps go.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force \
    && rm -rf node_modules/typescript node_modules/@types \
    && find node_modules/echarts/dist -mindepth 1 -not -name echarts.min.js -not -name echarts.js -delete
COPY --from=build /app/dist dist
# Read at run time from the package root (the folder of package.json beside pages/, found from
# dist/renderer/package-root.js): the chart page and the dashboard's files.
COPY pages pages
COPY server/dashboard server/dashboard
COPY docker/healthcheck.mjs docker/healthcheck.mjs
# LOCAL_STORAGE_DIR and CANARY_DIR default to ./data/…: the only folder the farm writes to.
RUN groupadd --system farm && useradd --system --gid farm --create-home farm \
    && mkdir -p /app/data && chown farm:farm /app/data
USER farm
VOLUME ["/app/data"]
EXPOSE 3000 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "docker/healthcheck.mjs"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/cli/main.js", "serve"]
