// The image's health check, for every role: `serve` and `api` answer /healthz on PORT, a worker on
// WORKER_HTTP_PORT. Exit 0 when either answers 200.
const ports = [process.env.PORT || '3000', process.env.WORKER_HTTP_PORT].filter(Boolean);

async function healthy(port) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4000) });
    return response.ok;
  } catch {
    return false;
  }
}

const answers = await Promise.all(ports.map(healthy));
process.exit(answers.includes(true) ? 0 : 1);
