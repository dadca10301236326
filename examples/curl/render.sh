#!/usr/bin/env bash
# Renders one chart with curl: first synchronously (the answer is the image), then as a queued task
# followed through its event stream until it ends, then its image is fetched.
#
#   FARM_URL=http://localhost:3000 OUT_DIR=. bash examples/curl/render.sh
set -euo pipefail

FARM_URL=${FARM_URL:-http://localhost:3000}
OUT_DIR=${OUT_DIR:-.}

chart='{
  "type": "png", "width": 600, "height": 400,
  "option": {
    "title": {"text": "Weekly sales"},
    "xAxis": {"type": "category", "data": ["Mon", "Tue", "Wed", "Thu", "Fri"]},
    "yAxis": {"type": "value"},
    "series": [{"type": "bar", "data": [120, 200, 150, 80, 70]}]
  }
}'

# 1. Synchronous: async=false answers the image itself. --fail-with-body keeps the error envelope
#    ({"code":400,"msg":"width must be at most 8192",...}) on screen when the farm refuses the chart.
curl --fail-with-body -sS -X POST "$FARM_URL/api/charts/generate?async=false" \
  -H 'content-type: application/json' -d "$chart" -o "$OUT_DIR/chart-sync.png"
echo "rendered $OUT_DIR/chart-sync.png"

# 2. Queued: the answer (202) is the task. With jq: task_id=$(… | jq -r .data.taskId)
task=$(curl --fail-with-body -sS -X POST "$FARM_URL/api/charts/generate" \
  -H 'content-type: application/json' -H "Idempotency-Key: curl-example-$(date +%s%N)" -d "$chart")
task_id=$(printf '%s' "$task" | sed -n 's/.*"taskId":"\([^"]*\)".*/\1/p')
echo "queued task $task_id"

# 3. One server-sent event per status change; the farm closes the stream at the final state.
events=$(curl --fail-with-body -sS -N "$FARM_URL/api/charts/events/$task_id")
final=$(printf '%s\n' "$events" | grep '^data: ' | tail -n 1 | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')
echo "task $task_id is $final"
if [ "$final" != completed ]; then
  printf '%s\n' "$events" | tail -n 2 >&2
  exit 1
fi

# 4. The image, streamed through the farm (?redirect=true would send curl to the store's URL instead).
curl --fail-with-body -sS "$FARM_URL/api/images/$task_id" -o "$OUT_DIR/chart-task.png"
echo "fetched $OUT_DIR/chart-task.png"
