/**
 * The HTTP client of the queue benchmark. It runs in a process of its own (started by
 * http-load-client.ts), so building requests and reading answers does not take turns with the
 * server on the farm's event loop, as a real client would not. It keeps connections alive, as a
 * client that sends many tasks would.
 */
import { Agent, request } from 'node:http';

/** Load for the accept measurement: `concurrency` requests in flight for `durationMs`. */
export interface AcceptCommand {
  kind: 'accept';
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The JSON body of `POST /api/charts/generate`. */
  body: string;
  concurrency: number;
  /** Requests per connection before the clock starts: opens the connections, not counted. */
  warmupPerConnection: number;
  durationMs: number;
}

export interface AcceptResult {
  /** Accept latency of every measured 202, in the order they came back. */
  latenciesMs: number[];
  /** Measured answers by HTTP status (202: accepted). */
  statuses: Record<string, number>;
  /** Accepted during the warm-up (so the server's pending count can be checked). */
  warmupAccepted: number;
  /** Requests that failed without an answer; the first few messages are in `errors`. */
  failed: number;
  errors: string[];
  /** From the first measured request to the last answer. */
  wallMs: number;
}

/** One task followed to its end: submitted, then watched over server-sent events. */
export interface RoundTripCommand {
  kind: 'round-trip';
  url: string;
  body: string;
  /** Gives up on a task that is not final after this long. */
  timeoutMs: number;
}

/** The fields of a task's status event that the benchmark reads. */
export interface TaskEvent {
  taskId: string;
  status: 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  durationMs: number | null;
  error: { reason: string; message: string } | null;
}

export type RoundTripResult =
  | {
      ok: true;
      /** POST sent → its 202 read. */
      submitMs: number;
      /** POST sent → the final status event read. */
      totalMs: number;
      /** Wall clock when the final event was read, to compare with the record's completedAt. */
      finalEventAtEpochMs: number;
      /** Statuses in the order the stream told them. */
      statuses: string[];
      final: TaskEvent;
    }
  | { ok: false; error: string };

export type LoadCommand = AcceptCommand | RoundTripCommand;
export type LoadResult = AcceptResult | RoundTripResult;

/** Messages over the IPC channel. */
export type ToClient = { id: number; command: LoadCommand };
export type FromClient = { ready: true } | { id: number; result: LoadResult } | { id: number; error: string };

const KEPT_ERRORS = 5;
const FINAL = new Set(['completed', 'failed', 'cancelled']);

interface Answer {
  status: number;
  body: string;
}

function send(agent: Agent, method: 'GET' | 'POST', url: string, body?: string, retried = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const req = request(url, { method, agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed just as the request went out: Node's documented
      // remedy is to send it again on a fresh one.
      if (!retried && req.reusedSocket && error.code === 'ECONNRESET') resolve(send(agent, method, url, body, true));
      else reject(error);
    });
    req.end(body);
  });
}

async function acceptLoad(command: AcceptCommand): Promise<AcceptResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: command.concurrency });
  const generate = `${command.url}/api/charts/generate`;
  const result: AcceptResult = { latenciesMs: [], statuses: {}, warmupAccepted: 0, failed: 0, errors: [], wallMs: 0 };
  const lanes = Array.from({ length: command.concurrency });
  try {
    await Promise.all(
      lanes.map(async () => {
        for (let i = 0; i < command.warmupPerConnection; i += 1) {
          if ((await send(agent, 'POST', generate, command.body)).status === 202) result.warmupAccepted += 1;
        }
      }),
    );
    const started = performance.now();
    const deadline = started + command.durationMs;
    await Promise.all(
      lanes.map(async () => {
        while (performance.now() < deadline) {
          const sent = performance.now();
          try {
            const { status } = await send(agent, 'POST', generate, command.body);
            if (status === 202) result.latenciesMs.push(performance.now() - sent);
            result.statuses[status] = (result.statuses[status] ?? 0) + 1;
          } catch (error) {
            result.failed += 1;
            if (result.errors.length < KEPT_ERRORS) result.errors.push((error as Error).message);
          }
        }
      }),
    );
    result.wallMs = performance.now() - started;
    return result;
  } finally {
    agent.destroy();
  }
}

/**
 * One agent for every round trip, so they reuse their connection as a client would. Each task in
 * flight holds a connection for its event stream and briefly one for its POST: room for 32 at once.
 */
const roundTripAgent = new Agent({ keepAlive: true, maxSockets: 64 });

/** Reads server-sent events until a final status; resolves with the statuses seen. */
function followEvents(url: string, timeoutMs: number): Promise<{ statuses: string[]; final: TaskEvent; at: number; atEpochMs: number }> {
  return new Promise((resolve, reject) => {
    const statuses: string[] = [];
    let settled = false;
    const finish = (error: Error | null, final?: TaskEvent): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else {
        resolve({ statuses, final: final!, at: performance.now(), atEpochMs: Date.now() });
      }
    };
    const timer = setTimeout(() => finish(new Error(`no final status within ${timeoutMs} ms (saw ${statuses.join(' → ') || 'nothing'})`)), timeoutMs);
    const req = request(url, { agent: roundTripAgent, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        finish(new Error(`the event stream answered ${res.statusCode}`));
        return;
      }
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (!data) continue;
          const event = JSON.parse(data.slice('data: '.length)) as TaskEvent;
          statuses.push(event.status);
          if (FINAL.has(event.status)) finish(null, event);
        }
      });
      res.on('end', () => finish(new Error(`the event stream ended before a final status (saw ${statuses.join(' → ') || 'nothing'})`)));
      res.on('error', (error) => finish(error));
    });
    req.on('error', (error) => finish(error));
    req.end();
  });
}

async function roundTrip(command: RoundTripCommand): Promise<RoundTripResult> {
  const sent = performance.now();
  const posted = await send(roundTripAgent, 'POST', `${command.url}/api/charts/generate`, command.body);
  const submitMs = performance.now() - sent;
  if (posted.status !== 202) return { ok: false, error: `generate answered ${posted.status}: ${posted.body.slice(0, 200)}` };
  const taskId = (JSON.parse(posted.body) as { data: { taskId: string } }).data.taskId;
  try {
    const { statuses, final, at, atEpochMs } = await followEvents(`${command.url}/api/charts/events/${taskId}`, command.timeoutMs);
    return { ok: true, submitMs, totalMs: at - sent, finalEventAtEpochMs: atEpochMs, statuses, final };
  } catch (error) {
    return { ok: false, error: `task ${taskId}: ${(error as Error).message}` };
  }
}

function run(command: LoadCommand): Promise<LoadResult> {
  return command.kind === 'accept' ? acceptLoad(command) : roundTrip(command);
}

// Started by HttpLoadClient: take commands over IPC, one at a time; leave with the parent.
if (process.send) {
  const reply = (message: FromClient): void => void process.send!(message);
  process.on('message', (message: ToClient) => {
    run(message.command).then(
      (result) => reply({ id: message.id, result }),
      (error: unknown) => reply({ id: message.id, error: (error as Error).message }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  reply({ ready: true });
}
