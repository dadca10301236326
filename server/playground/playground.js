// The playground at `/`: an option in, the farm's image out, and the same request as curl, CLI and
// client call. Plain script, no build step; every text from the farm goes in through textContent.
'use strict';

(() => {
  const KEY_STORAGE = 'echarts-farm-playground-key';
  const DRAWABLE = new Set(['png', 'jpeg', 'webp', 'svg']);
  const EXTENSIONS = { png: 'png', jpeg: 'jpg', webp: 'webp', svg: 'svg', pdf: 'pdf' };
  const byId = (id) => document.getElementById(id);
  let examples = [];
  let imageUrl = null;

  function credentials() {
    const key = sessionStorage.getItem(KEY_STORAGE);
    return key ? { authorization: `Bearer ${key}` } : {};
  }

  function showError(text) {
    byId('error').textContent = text;
    byId('error').hidden = false;
    byId('status').textContent = '';
  }

  function clearError() {
    byId('error').hidden = true;
    byId('error').textContent = '';
  }

  /** The request body the form describes; throws with a readable message for a bad option. */
  function requestBody() {
    let option;
    try {
      option = JSON.parse(byId('option').value);
    } catch (error) {
      throw new Error(`The option is not valid JSON: ${error.message}`);
    }
    const body = {
      type: byId('type').value,
      width: Number(byId('width').value),
      height: Number(byId('height').value),
    };
    const ratio = Number(byId('ratio').value);
    if (ratio !== 1) body.devicePixelRatio = ratio;
    if (byId('theme').value.trim()) body.theme = byId('theme').value.trim();
    if (byId('background').value.trim()) body.backgroundColor = byId('background').value.trim();
    body.option = option;
    return body;
  }

  // --- the same request elsewhere --------------------------------------------------------------

  const shellQuote = (text) => `'${text.replace(/'/g, `'\\''`)}'`;

  function showSnippets() {
    let body;
    try {
      body = requestBody();
    } catch {
      return;
    }
    const json = JSON.stringify(body);
    const file = `chart.${EXTENSIONS[body.type]}`;
    byId('snippet-curl').textContent =
      `curl -s -X POST '${location.origin}/api/charts/generate?async=false' \\\n` +
      `  -H 'content-type: application/json'${sessionStorage.getItem(KEY_STORAGE) ? ' -H "authorization: Bearer $FARM_KEY"' : ''} \\\n` +
      `  -d ${shellQuote(json)} \\\n  -o ${file}`;
    byId('snippet-cli').textContent = `echo ${shellQuote(json)} | npx echarts-farm render - -o ${file}`;
    const { option, ...rest } = body;
    const fields = Object.entries(rest).map(([name, value]) => `${name}: ${JSON.stringify(value)}`).join(', ');
    byId('snippet-client').textContent =
      `import { FarmClient } from '@echarts-farm/client';\n\n` +
      `const farm = new FarmClient({ baseUrl: ${JSON.stringify(location.origin)}${sessionStorage.getItem(KEY_STORAGE) ? ', apiKey: process.env.FARM_KEY' : ''} });\n` +
      `const option = ${JSON.stringify(option, null, 2)};\n` +
      `const image = await farm.render({ ${fields}, option });`;
  }

  // --- rendering ---------------------------------------------------------------------------------

  function showImage(blob, type) {
    if (imageUrl) URL.revokeObjectURL(imageUrl);
    imageUrl = URL.createObjectURL(blob);
    const box = byId('image-box');
    box.replaceChildren();
    if (DRAWABLE.has(type)) {
      const image = document.createElement('img');
      image.alt = `the rendered chart (${type})`;
      image.src = imageUrl;
      box.append(image);
    } else {
      const link = document.createElement('a');
      link.href = imageUrl;
      link.download = `chart.${EXTENSIONS[type]}`;
      link.textContent = `download the ${type.toUpperCase()} (${blob.size} bytes)`;
      box.append(link);
    }
  }

  function serverTotal(header) {
    const match = /(?:^|,\s*)total;dur=([\d.]+)/.exec(header ?? '');
    return match ? Number(match[1]) : null;
  }

  async function render(event) {
    event?.preventDefault();
    clearError();
    let body;
    try {
      body = requestBody();
    } catch (error) {
      showError(error.message);
      return;
    }
    byId('status').textContent = 'rendering…';
    byId('render').disabled = true;
    const started = performance.now();
    try {
      const response = await fetch('/api/charts/generate?async=false', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...credentials() },
        body: JSON.stringify(body),
      });
      const roundTrip = Math.round(performance.now() - started);
      if (response.status === 401) {
        byId('key-form').hidden = false;
        byId('key-input').focus();
        showError('This farm asks for a key: enter it above, then Render again.');
        return;
      }
      if (!response.ok) {
        const envelope = await response.json().catch(() => null);
        const reason = envelope?.error?.reason ? ` (${envelope.error.reason})` : '';
        showError(`${envelope?.msg ?? `the farm answered ${response.status}`}${reason}`);
        return;
      }
      const blob = await response.blob();
      showImage(blob, body.type);
      const total = serverTotal(response.headers.get('server-timing'));
      byId('render-time').textContent = `${total === null ? '–' : `${total} ms in the farm`}, ${roundTrip} ms round trip`;
      byId('image-size').textContent = `${body.width}×${body.height} at ratio ${body.devicePixelRatio ?? 1}, ${blob.size} bytes`;
      byId('fingerprint').textContent = response.headers.get('x-render-fingerprint') ?? '–';
      byId('facts').hidden = false;
      byId('status').textContent = '';
    } catch (error) {
      showError(`The farm did not answer: ${error.message}`);
    } finally {
      byId('render').disabled = false;
    }
  }

  // --- wiring ------------------------------------------------------------------------------------

  function pickExample() {
    const example = examples.find((candidate) => candidate.name === byId('example').value);
    if (example) byId('option').value = JSON.stringify(example.option, null, 2);
    showSnippets();
  }

  async function loadExamples() {
    const response = await fetch('/playground/examples.json');
    examples = (await response.json()).examples;
    for (const example of examples) {
      const choice = document.createElement('option');
      choice.value = example.name;
      choice.textContent = example.title;
      byId('example').append(choice);
    }
    byId('example').value = examples[0]?.name ?? '';
    pickExample();
  }

  function copy(event) {
    const target = byId(event.target.dataset.copy);
    const text = target.textContent;
    const done = () => (event.target.textContent = 'copied');
    if (navigator.clipboard) {
      navigator.clipboard.writeText(text).then(done, () => window.getSelection().selectAllChildren(target));
    } else {
      window.getSelection().selectAllChildren(target);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    byId('render-form').addEventListener('submit', render);
    byId('render-form').addEventListener('input', showSnippets);
    byId('example').addEventListener('change', pickExample);
    for (const button of document.querySelectorAll('button[data-copy]')) button.addEventListener('click', copy);
    byId('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      sessionStorage.setItem(KEY_STORAGE, byId('key-input').value.trim());
      byId('key-form').hidden = true;
      showSnippets();
      render();
    });
    loadExamples().catch((error) => showError(`Examples could not be loaded: ${error.message}`));
  });
})();
