"""Renders a chart with Python `requests`: synchronously, then as a queued task polled to its end.

    pip install requests
    FARM_URL=http://localhost:3000 OUT_DIR=. python3 examples/python/render_chart.py
"""
import os
import sys
import time

import requests

FARM_URL = os.environ.get("FARM_URL", "http://localhost:3000").rstrip("/")
OUT_DIR = os.environ.get("OUT_DIR", ".")

CHART = {
    "type": "png",
    "width": 600,
    "height": 400,
    "option": {
        "title": {"text": "Weekly sales"},
        "xAxis": {"type": "category", "data": ["Mon", "Tue", "Wed", "Thu", "Fri"]},
        "yAxis": {"type": "value"},
        "series": [{"type": "bar", "data": [120, 200, 150, 80, 70]}],
    },
}


class FarmError(Exception):
    """An error answer of the farm: its envelope says what went wrong and whether to retry."""

    def __init__(self, response):
        envelope = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        error = envelope.get("error") or {}
        self.status = response.status_code
        self.type = error.get("type")  # VALIDATION_ERROR | PROCESSING_ERROR | SYSTEM_ERROR
        self.reason = error.get("reason")  # stable code: INVALID_OPTION, QUEUE_FULL, ...
        self.details = error.get("details", {})
        super().__init__(f"{self.status} {self.reason}: {envelope.get('msg', response.text[:200])}")


def call(method, path, retries=3, **kwargs):
    """One request; 503 and 429 are sent again after Retry-After (at most `retries` times)."""
    for attempt in range(retries + 1):
        response = requests.request(method, FARM_URL + path, timeout=60, **kwargs)
        if response.status_code not in (429, 503) or attempt == retries:
            break
        time.sleep(float(response.headers.get("Retry-After", 2 ** attempt)))
    if not response.ok:
        raise FarmError(response)
    return response


def main():
    # 1. Synchronous: async=false answers the image itself.
    image = call("POST", "/api/charts/generate", params={"async": "false"}, json=CHART)
    with open(os.path.join(OUT_DIR, "chart-sync.png"), "wb") as file:
        file.write(image.content)
    print("rendered chart-sync.png,", image.headers["content-type"], "fingerprint", image.headers["x-render-fingerprint"])

    # 2. Queued: the answer (202) is the task; poll its status until it ends.
    task = call("POST", "/api/charts/generate", json=CHART).json()["data"]
    deadline = time.monotonic() + 60
    while task["status"] not in ("completed", "failed", "cancelled"):
        if time.monotonic() > deadline:
            sys.exit(f"task {task['taskId']} still {task['status']} after 60 s")
        time.sleep(0.2)
        task = call("GET", task["statusUrl"]).json()["data"]
    if task["status"] != "completed":
        sys.exit(f"task {task['taskId']} {task['status']}: {task['error']}")

    # 3. The image of the task.
    image = call("GET", f"/api/images/{task['taskId']}")
    with open(os.path.join(OUT_DIR, "chart-task.png"), "wb") as file:
        file.write(image.content)
    print(f"task {task['taskId']} completed in {task['durationMs']} ms: chart-task.png")

    # 4. A refused chart raises FarmError with the envelope's reason.
    try:
        call("POST", "/api/charts/generate", params={"async": "false"}, json={**CHART, "width": 0})
    except FarmError as error:
        print("refused as expected:", error.reason, error.details.get("issues"))


if __name__ == "__main__":
    main()
