#!/usr/bin/env bash
# `npm run image:test`: builds the farm's image with podman and checks it as a user would
# (test/image/container.test.ts). Installs podman, runc and debootstrap when missing; builds the
# local stand-in base when the Dockerfile's base is not there (no registry needed). Host network,
# loopback addresses only; Redis at TEST_REDIS_URL (default redis://127.0.0.1:6379), under a key
# prefix of its own. Prints the figures docker/README.md records.
#   FARM_IMAGE=localhost/echarts-farm:latest  the tag to build and test
#   IMAGE_TEST_SKIP_BUILD=1                    test the image as it is
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/docker/podman-env.sh"
cd "$root"

image="${FARM_IMAGE:-localhost/echarts-farm:latest}"
export FARM_IMAGE="$image"
figures="$(mktemp /tmp/image-test-figures.XXXXXX.json)"
export IMAGE_TEST_RUN="$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
# Containers of this run that a failed check may have left behind.
cleanup() {
  rm -f "$figures"
  podman ps -a -q --filter "name=farm-image-test-$IMAGE_TEST_RUN" | xargs -r podman rm -f -t 0 >/dev/null 2>&1 || true
}
trap cleanup EXIT

ensure_container_tools
command -v redis-cli >/dev/null && ! redis-cli -u "${TEST_REDIS_URL:-redis://127.0.0.1:6379}" ping >/dev/null 2>&1 \
  && { echo "image-test: no Redis at ${TEST_REDIS_URL:-redis://127.0.0.1:6379}" >&2; exit 1; }

base_seconds=0
build_seconds=0
if [ -z "${IMAGE_TEST_SKIP_BUILD:-}" ]; then
  started=$SECONDS
  bash docker/local-base.sh
  base_seconds=$((SECONDS - started))
  started=$SECONDS
  # --format docker keeps the HEALTHCHECK (the OCI format has none).
  build_log="$(mktemp /tmp/image-test-build.XXXXXX.log)"
  podman build --pull=never --network host --format docker -t "$image" . >"$build_log" 2>&1 \
    || { tail -40 "$build_log" >&2; echo "image-test: the whole build log is $build_log" >&2; exit 1; }
  rm -f "$build_log"
  build_seconds=$((SECONDS - started))
fi

size_bytes="$(podman image inspect --format '{{.Size}}' "$image")"
started=$SECONDS
status=0
IMAGE_TEST_FIGURES="$figures" node --import tsx --test --test-concurrency=1 test/image/container.test.ts || status=$?
test_seconds=$((SECONDS - started))

node -e '
  const figures = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8") || "{}");
  const [base, build, size, tests, status] = process.argv.slice(2).map(Number);
  const rows = [
    ["result", status === 0 ? "passed" : `FAILED (exit ${status})`],
    ["image", figures.image],
    ["base build (s; 0 = existed)", base],
    ["image build (s)", build],
    ["image size (MB)", (size / 1e6).toFixed(0)],
    ["checks (s)", tests],
    ["start to /readyz (ms)", figures.startToReadyMs],
    ["first render (ms)", figures.firstRenderMs],
    ["corpus charts compared", figures.corpusCharts],
    ["render fingerprint", figures.fingerprint],
    ["podman stop of a busy worker (ms)", figures.stopMs],
  ];
  console.log("\n| figure | value |\n| --- | --- |");
  for (const [name, value] of rows) console.log(`| ${name} | ${value ?? "-"} |`);
' "$figures" "$base_seconds" "$build_seconds" "$size_bytes" "$test_seconds" "$status"
exit "$status"
