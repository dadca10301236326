/**
 * A reverse proxy in front of a real farm, for what a client meets between itself and the farm: a
 * proxy that refuses event streams, a gateway that answers 503 or 429 for a while. Every request is
 * recorded; `intercept` answers one itself or lets it through (streamed both ways).
 */
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy answers instead of the farm. */
export interface ProxyAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A request the proxy saw. */
export interface ProxiedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface TestProxy {
  url: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

/** Starts a proxy to `target` (`http://127.0.0.1:<port>`). */
export async function startProxy(target: string, intercept: (request: IncomingMessage) => ProxyAnswer | undefined = () => undefined): Promise<TestProxy> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    const answer = intercept(req);
    if (answer) {
      req.resume();
      res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
      return;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (farmResponse) => {
        res.writeHead(farmResponse.statusCode ?? 502, farmResponse.headers);
        farmResponse.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
