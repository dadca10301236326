/**
 * A chart page reaches nothing but the farm's own assets: images, patterns, rich-text backgrounds,
 * graphic elements and (with functions on) scripts that try fetch, XHR, WebSocket, beacons, links
 * or navigation all point at a real local server here, and that server must see no request.
 * The server is made to count as an internet host, so Chromium's own shield for local addresses
 * cannot stand in for the farm's two walls (request interception and the page's CSP).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ChartRenderer } from '../../renderer/chart-renderer.js';
import { LINE_OPTION, request, startTestRenderer } from '../helpers/renderer.js';

describe('closed network', () => {
  let renderer: ChartRenderer;
  let server: Server;
  let base: string;
  const received: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      received.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'image/png' }).end();
    });
    server.on('upgrade', (req, socket) => {
      received.push(`upgrade ${req.url}`);
      socket.destroy();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Chromium already keeps public pages off loopback addresses (local network access); this flag
    // makes the test server count as a public internet host, so only the farm's walls stand.
    renderer = await startTestRenderer({
      allowFunctions: true,
      extraChromiumFlags: [`--ip-address-space-overrides=127.0.0.1:${(server.address() as AddressInfo).port}=public`],
    });
  });

  after(async () => {
    await renderer?.close();
    server?.close();
  });

  it('loads no image an option points at', async () => {
    const option = {
      backgroundColor: { image: `${base}/background.png`, repeat: 'repeat' },
      title: { text: '{icon|} Title', textStyle: { rich: { icon: { backgroundColor: { image: `${base}/rich.png` }, width: 20, height: 20 } } } },
      graphic: [{ type: 'image', left: 10, top: 10, style: { image: `${base}/graphic.png`, width: 40, height: 40 } }],
      xAxis: { data: ['a', 'b', 'c'] },
      yAxis: {},
      series: [
        { type: 'scatter', symbol: `image://${base}/symbol.png`, symbolSize: 20, data: [1, 2, 3] },
        { type: 'bar', itemStyle: { color: { image: `${base}/pattern.png`, repeat: 'repeat' } }, data: [3, 2, 1] },
        { type: 'pictorialBar', symbol: `image://${base}/pictorial.png`, data: [2, 2, 2] },
      ],
    };
    const result = await renderer.render(request({ option }));
    assert.ok(result.bytes.length > 0);
    assert.deepEqual(received, []);
  });

  it('lets no script of an option reach the network', async () => {
    const script = `
      var target = ${JSON.stringify(base)};
      try { fetch(target + '/fetch'); } catch (e) {}
      try { var xhr = new XMLHttpRequest(); xhr.open('GET', target + '/xhr'); xhr.send(); } catch (e) {}
      try { new WebSocket(target.replace('http', 'ws') + '/socket'); } catch (e) {}
      try { navigator.sendBeacon(target + '/beacon', 'x'); } catch (e) {}
      try { new Image().src = target + '/img'; } catch (e) {}
      try { var link = document.createElement('link'); link.rel = 'stylesheet'; link.href = target + '/style.css'; document.head.appendChild(link); } catch (e) {}
      try { var style = document.createElement('style'); style.textContent = "@font-face { font-family: x; src: url(" + target + "/font.woff) } body { font-family: x; background: url(" + target + "/css.png) }"; document.head.appendChild(style); } catch (e) {}
      try { var frame = document.createElement('iframe'); frame.src = target + '/frame'; document.body.appendChild(frame); } catch (e) {}
      try { import(target + '/module.js').catch(function () {}); } catch (e) {}
      var option = { xAxis: { data: ['a'] }, yAxis: {}, series: [{ type: 'bar', data: [1] }] };`;
    await renderer.render(request({ option: script }));
    // Requests are asynchronous: give any that escaped time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(received, []);
  });

  it('survives a script that navigates its page away, and the pool keeps rendering', async () => {
    const script = `location.href = ${JSON.stringify(`${base}/navigate`)}; var option = { series: [] };`;
    await renderer.render(request({ option: script })).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < 3; i += 1) {
      const result = await renderer.render(request({ option: LINE_OPTION }));
      assert.ok(result.bytes.length > 0);
    }
    assert.deepEqual(received, []);
  });
});
