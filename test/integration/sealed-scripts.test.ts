/**
 * With ALLOW_FUNCTIONS on, a request's script can neither reach the network from any target of the
 * browser (popups, workers, WebRTC, preconnects, frames) nor leave anything behind for the next
 * request: a listener on 127.0.0.1 (TCP, HTTP and UDP on one port, made to count as an internet host)
 * receives nothing, and a page that ran a script serves no other request.
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { isFarmError } from '../../errors/farm-error.js';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { request, startTestRenderer } from '../helpers/renderer.js';

let renderer: ChartRenderer;
let tcp: Server;
let udp: Socket;
let port: number;
const received: string[] = [];

before(async () => {
  tcp = createServer((socket) => {
    received.push('tcp connection');
    socket.on('data', (data) => received.push(`tcp data: ${data.toString('latin1').split('\r\n')[0]}`));
    socket.on('error', () => undefined);
  });
  tcp.listen(0, '127.0.0.1');
  await once(tcp, 'listening');
  port = (tcp.address() as { port: number }).port;
  udp = createSocket('udp4');
  udp.on('message', () => received.push('udp datagram'));
  udp.bind(port, '127.0.0.1');
  await once(udp, 'listening');
  renderer = await startTestRenderer({
    allowFunctions: true,
    renderTimeoutMs: 8_000,
    // Chromium's own shield for local addresses must not stand in for the farm's seal.
    extraChromiumFlags: [`--ip-address-space-overrides=127.0.0.1:${port}=public`],
  });
});

after(async () => {
  await renderer?.close();
  tcp?.close();
  udp?.close();
});

const SMALL_CHART = "var option = {xAxis: {data: ['a']}, yAxis: {}, series: [{type: 'bar', data: [1]}]};";

/** Each vector with the script that tries it; the chart itself is drawn either way. */
function vectors(): Record<string, string> {
  const base = `http://127.0.0.1:${port}`;
  return {
    'window.open': `window.open('${base}/popup');`,
    'a popup that keeps requesting': `var w = window.open('about:blank'); if (w) w.eval("setInterval(function () { fetch('${base}/again').catch(function () {}); }, 200)");`,
    'RTCPeerConnection with stun, turn over UDP and TCP': `var pc = new RTCPeerConnection({iceServers: [{urls: 'stun:127.0.0.1:${port}'}, {urls: 'turn:127.0.0.1:${port}?transport=udp', username: 'u', credential: 'c'}, {urls: 'turn:127.0.0.1:${port}?transport=tcp', username: 'u', credential: 'c'}]}); pc.createDataChannel('x'); pc.createOffer().then(function (o) { return pc.setLocalDescription(o); }); window.keep = pc;`,
    'link rel=preconnect and dns-prefetch': `['preconnect', 'dns-prefetch', 'prefetch', 'preload'].forEach(function (rel) { var l = document.createElement('link'); l.rel = rel; l.as = 'fetch'; l.href = '${base}/' + rel; document.head.appendChild(l); });`,
    'SharedWorker and Worker fetching': `try { new SharedWorker('data:text/javascript,fetch("${base}/shared")'); } catch (e) {} try { new Worker(URL.createObjectURL(new Blob(['fetch("${base}/worker")']))); } catch (e) {}`,
    iframe: `var f = document.createElement('iframe'); f.src = '${base}/iframe'; document.body.appendChild(f);`,
    // Sends its own page away: the chart may never finish, which is the script's own doing.
    'a form posted to a new window': `var form = document.createElement('form'); form.action = '${base}/form'; form.method = 'post'; form.target = '_blank'; document.body.appendChild(form); try { form.submit(); } catch (e) {}`,
    'fetch, beacon, WebSocket, EventSource': `fetch('${base}/fetch').catch(function () {}); try { navigator.sendBeacon('${base}/beacon', 'x'); } catch (e) {} try { new WebSocket('ws://127.0.0.1:${port}/ws'); } catch (e) {} try { new EventSource('${base}/sse'); } catch (e) {}`,
  };
}

describe('a request script cannot reach the network', () => {
  test('no vector makes the listener receive anything, and every chart is still drawn', async () => {
    const failed: string[] = [];
    for (const [vector, script] of Object.entries(vectors())) {
      const started = performance.now();
      try {
        const result = await renderer.render(request({ option: `${script}\n${SMALL_CHART}`, width: 200, height: 120 }));
        assert.ok(result.bytes.length > 0, vector);
      } catch (error) {
        const ownDoing = vector.startsWith('a form') && isFarmError(error) && error.type === 'PROCESSING_ERROR';
        if (!ownDoing) failed.push(`${vector}: ${(error as Error).message}`);
      }
      console.log(`# ${vector}: ${(performance.now() - started).toFixed(0)} ms`);
    }
    // Popups that fetch on a timer, and ICE gathering, get time to try.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.deepEqual(received, []);
    assert.deepEqual(failed, []);
  });
});

describe('a request script cannot persist', () => {
  const svgOf = async (option: string | Record<string, unknown>): Promise<string> =>
    (await renderer.render(request({ option, type: 'svg', width: 200, height: 120 }))).bytes.toString();

  test('a wrapped window.farm.render and globals do not reach the next request', async () => {
    const hijack = `
      window.leftBehind = 'first-owner-global';
      var original = window.farm.render;
      window.farm.render = function (r) { window.stolen = JSON.stringify(r.option); return original(Object.assign({}, r, {option: {title: {text: 'HIJACKED'}, series: []}})); };
      Object.prototype.polluted = 'yes';
      ${SMALL_CHART}`;
    await svgOf(hijack);
    const next = await svgOf({ title: { text: 'second owner' }, xAxis: { data: ['a'] }, yAxis: {}, series: [{ type: 'bar', data: [2] }] });
    assert.match(next, /second owner/);
    assert.doesNotMatch(next, /HIJACKED/);
    const probe = await svgOf(`var option = {title: {text: 'global=' + window.leftBehind + ' stolen=' + window.stolen + ' proto=' + ({}).polluted}, series: []};`);
    assert.match(probe, /global=undefined stolen=undefined proto=undefined/);
  });
});
