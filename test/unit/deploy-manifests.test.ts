/**
 * The deployment files against the farm they deploy: every YAML of docker/ parses; Kubernetes kinds
 * and API versions are the expected ones; every env var the manifests and the compose file set is
 * a setting of config/settings.ts and the whole set loads; probe paths answer on the farm's probe
 * listener and probe ports are the ports the farm listens on; images, labels, selectors and
 * references agree; grace periods cover SHUTDOWN_GRACE_MS; the Dockerfile copies what the build
 * compiles and what the server reads at run time.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import pino from 'pino';
import { parseAllDocuments } from 'yaml';
import { objectStoreSettings } from '../../farm/task-system.js';
import { loadConfig } from '../../config/load-config.js';
import { settings } from '../../config/settings.js';
import { packageRoot } from '../../renderer/package-root.js';
import { FarmMetrics } from '../../ops/farm-metrics.js';
import { createProbeApp } from '../../server/probe-app.js';
import { objectStoreProblems } from '../../storage/object-store-factory.js';

type Json = Record<string, any>;

const root = packageRoot();
const dockerDir = join(root, 'docker');
const k8sDir = join(dockerDir, 'k8s');
const SETTING_NAMES = new Set(Object.values(settings).map((declaration) => declaration.env));
/** The farm closes for SHUTDOWN_GRACE_MS, then forces its exit 15 s later (cli/farm-process.ts). */
const FORCED_EXIT_MARGIN_MS = 15_000;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

function documentsOf(file: string): Json[] {
  // Compose shares settings through YAML merge keys (`<<: *scaled-env`).
  return parseAllDocuments(readFileSync(file, 'utf8'), { merge: true }).map((document) => {
    assert.deepEqual(document.errors, [], `${relative(root, file)} parses`);
    return document.toJS() as Json;
  });
}

const manifests = yamlFiles(k8sDir).flatMap((file) => documentsOf(file).map((doc) => ({ file: relative(k8sDir, file), doc })));
const ofKind = (kind: string) => manifests.filter(({ doc }) => doc.kind === kind).map(({ doc }) => doc);
const deployment = (component: string) => ofKind('Deployment').find((doc) => doc.metadata.labels['app.kubernetes.io/component'] === component)!;
const configMap = ofKind('ConfigMap')[0]!;
const secret = ofKind('Secret')[0]!;
const compose = documentsOf(join(dockerDir, 'compose.yml'))[0]!;

/** Compose's `${NAME:-default}` as compose would resolve it without that variable set. */
function composeDefaults(environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, String(value).replace(/\$\{\w+:-([^}]*)\}/g, '$1')]));
}

/** The environment a Deployment's container starts with: its ConfigMap, its Secret, then its own env. */
function podEnvironment(doc: Json): Record<string, string> {
  const container = doc.spec.template.spec.containers[0];
  return { ...configMap.data, ...secret.stringData, ...Object.fromEntries(container.env.map((entry: Json) => [entry.name, String(entry.value)])) };
}

function containerPort(container: Json, port: string | number): number {
  if (typeof port === 'number') return port;
  const named = container.ports.find((candidate: Json) => candidate.name === port);
  assert.ok(named, `port ${port} is declared by container ${container.name}`);
  return named.containerPort;
}

describe('deployment files', () => {
  it('every YAML under docker/ parses', () => {
    const files = yamlFiles(dockerDir);
    assert.ok(files.length >= 8, files.join(', '));
    for (const file of files) documentsOf(file);
  });

  it('Kubernetes manifests are of known kinds and API versions, and the kustomization lists every one', () => {
    const expected: Record<string, string> = {
      Deployment: 'apps/v1',
      Service: 'v1',
      ConfigMap: 'v1',
      Secret: 'v1',
      ScaledObject: 'keda.sh/v1alpha1',
      Kustomization: 'kustomize.config.k8s.io/v1beta1',
    };
    for (const { file, doc } of manifests) assert.equal(doc.apiVersion, expected[doc.kind], `${file}: ${doc.kind}`);
    const kustomization = ofKind('Kustomization')[0]!;
    const files = manifests.map(({ file }) => file).filter((file) => file !== 'kustomization.yaml');
    assert.deepEqual([...kustomization.resources].sort(), [...new Set(files)].sort());
    assert.deepEqual(ofKind('Deployment').map((doc) => doc.metadata.labels['app.kubernetes.io/component']).sort(), ['api', 'worker']);
  });

  it('sets only env vars the farm declares, and each pod and compose service loads with them', () => {
    const composeFarm = ['farm', 'api', 'worker'].map((name) => ({ name, env: composeDefaults(compose.services[name].environment) }));
    const sets = [
      { name: 'ConfigMap', env: configMap.data },
      { name: 'Secret', env: secret.stringData },
      ...['api', 'worker'].map((component) => ({ name: `${component} Deployment`, env: podEnvironment(deployment(component)) })),
      ...composeFarm,
    ];
    for (const { name, env } of sets) {
      for (const variable of Object.keys(env)) assert.ok(SETTING_NAMES.has(variable), `${name} sets ${variable}, which config/settings.ts does not declare`);
    }
    for (const { name, env } of [...sets.slice(2), ...composeFarm]) {
      const config = loadConfig(env);
      assert.deepEqual(objectStoreProblems(objectStoreSettings(config)), [], `${name}: storage settings complete`);
    }
  });

  it('scaled compose services and Kubernetes pods share Redis and S3 storage', () => {
    for (const env of [composeDefaults(compose.services.api.environment), composeDefaults(compose.services.worker.environment), podEnvironment(deployment('worker'))]) {
      const config = loadConfig(env);
      assert.equal(config.storage, 's3');
      assert.match(config.redisUrl ?? '', /^rediss?:\/\//);
    }
    assert.deepEqual(composeDefaults(compose.services.api.environment).S3_BUCKET, composeDefaults(compose.services['minio-init'].environment).S3_BUCKET);
    assert.match(compose.services.api.command.join(' '), /dist\/cli\/main\.js api$/);
    assert.match(compose.services.worker.command.join(' '), /dist\/cli\/main\.js worker$/);
  });

  it('probes ask for /healthz and /readyz on the port the farm listens on for its role', async () => {
    const roles = { api: (env: Record<string, string>) => loadConfig(env).port, worker: (env: Record<string, string>) => loadConfig(env).workerHttpPort };
    const paths = new Set<string>();
    for (const [component, portOf] of Object.entries(roles)) {
      const doc = deployment(component);
      const container = doc.spec.template.spec.containers[0];
      assert.equal(container.readinessProbe.httpGet.path, '/readyz', component);
      assert.equal(container.livenessProbe.httpGet.path, '/healthz', component);
      for (const probe of [container.readinessProbe, container.livenessProbe]) {
        assert.equal(containerPort(container, probe.httpGet.port), portOf(podEnvironment(doc)), `${component} probe port`);
        paths.add(probe.httpGet.path);
      }
      const annotations = doc.spec.template.metadata.annotations;
      assert.equal(Number(annotations['prometheus.io/port']), portOf(podEnvironment(doc)), `${component} scrape port`);
      paths.add(annotations['prometheus.io/path']);
    }
    // The worker's probe listener is the smallest HTTP face of the farm: every path must answer there.
    const app = createProbeApp({ readiness: { check: async () => ({ ready: true, fingerprint: 'test', renderMs: 1 }) }, metrics: new FarmMetrics(), logger: pino({ level: 'silent' }) });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      for (const path of paths) assert.equal((await fetch(`http://127.0.0.1:${port}${path}`)).status, 200, path);
    } finally {
      server.close();
    }
  });

  it('images, labels, selectors and references agree', () => {
    const images = new Set(ofKind('Deployment').map((doc) => doc.spec.template.spec.containers[0].image));
    assert.equal(images.size, 1, 'the API and the workers run one image');
    for (const doc of ofKind('Deployment')) {
      const labels = doc.spec.template.metadata.labels;
      for (const [key, value] of Object.entries(doc.spec.selector.matchLabels)) assert.equal(labels[key], value, `${doc.metadata.name} selects its own pods`);
      for (const source of doc.spec.template.spec.containers[0].envFrom) {
        if (source.configMapRef) assert.equal(source.configMapRef.name, configMap.metadata.name);
        if (source.secretRef) assert.equal(source.secretRef.name, secret.metadata.name);
      }
    }
    const service = ofKind('Service')[0]!;
    const api = deployment('api');
    for (const [key, value] of Object.entries(service.spec.selector)) assert.equal(api.spec.template.metadata.labels[key], value, 'the Service selects the API pods');
    const workerLabels = deployment('worker').spec.template.metadata.labels;
    assert.ok(Object.entries(service.spec.selector).some(([key, value]) => workerLabels[key] !== value), 'and not the workers');
    for (const port of service.spec.ports) containerPort(api.spec.template.spec.containers[0], port.targetPort);
  });

  it('workers scale on the farm queue and keep Chromium shared memory in RAM', () => {
    const scaled = ofKind('ScaledObject')[0]!;
    const worker = deployment('worker');
    assert.deepEqual(scaled.spec.scaleTargetRef, { apiVersion: 'apps/v1', kind: 'Deployment', name: worker.metadata.name });
    assert.ok(scaled.spec.minReplicaCount >= 1, 'one worker stays: the readiness canary and retries need one');
    const [trigger] = scaled.spec.triggers;
    assert.equal(trigger.type, 'prometheus');
    assert.match(trigger.metadata.query, /echarts_farm_queue_tasks\{status="pending"\}/);
    const pod = worker.spec.template.spec;
    const shm = pod.containers[0].volumeMounts.find((mount: Json) => mount.mountPath === '/dev/shm');
    assert.ok(shm, '/dev/shm is mounted');
    assert.equal(pod.volumes.find((volume: Json) => volume.name === shm.name).emptyDir.medium, 'Memory');
  });

  it('grace periods outlast SHUTDOWN_GRACE_MS and the forced exit after it', () => {
    for (const doc of ofKind('Deployment')) {
      const graceMs = loadConfig(podEnvironment(doc)).shutdownGraceMs;
      assert.ok(doc.spec.template.spec.terminationGracePeriodSeconds * 1000 >= graceMs + FORCED_EXIT_MARGIN_MS, doc.metadata.name);
    }
    for (const name of ['api', 'worker']) {
      const service = compose.services[name];
      const graceMs = loadConfig(composeDefaults(service.environment)).shutdownGraceMs;
      assert.ok(Number.parseInt(service.stop_grace_period, 10) * 1000 >= graceMs + FORCED_EXIT_MARGIN_MS, `compose ${name}`);
    }
  });

  it('the Dockerfile builds every compiled folder and ships what the server reads at run time', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
    const stages = dockerfile.split(/^FROM /m).slice(1);
    assert.equal(stages.length, 2, 'a build stage and a runtime stage');
    const base = /^ARG BASE=(\S+)$/m.exec(dockerfile)?.[1];
    assert.match(base ?? '', /^node:(\d*[02468])-(bookworm|trixie)-slim$/, 'Debian on an even (LTS) Node line by default');
    for (const stage of stages) assert.match(stage, /^\$\{BASE\}/, 'both stages on the one base');
    const [build, runtime] = stages as [string, string];
    assert.match(build, /^COPY \. \.$/m);
    assert.match(build, /^RUN npm run build$/m);
    const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { include: string[] };
    for (const folder of [...tsconfig.include, 'tsconfig.json', 'client/tsconfig.json', 'package.json']) {
      assert.ok(existsSync(join(root, folder)), folder);
      assert.ok(!ignored.includes(folder), `.dockerignore keeps ${folder} out of the build`);
    }
    for (const must of ['node_modules', 'dist', '.git']) assert.ok(ignored.includes(must), `.dockerignore excludes ${must}`);
    // Read from the package root at run time (renderer/package-root.ts, server/dashboard-page.ts).
    for (const folder of ['pages', 'server/dashboard']) assert.match(runtime, new RegExp(`^COPY ${folder} ${folder}$`, 'm'));
    assert.match(runtime, /^COPY --from=build \/app\/dist dist$/m);
    assert.match(runtime, /npm ci --omit=dev/);
    assert.match(runtime, /install-system\.sh tini/);
    assert.match(runtime, /^USER (?!root\b)\w+$/m);
    assert.match(runtime, /^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    assert.match(runtime, /^HEALTHCHECK .*docker\/healthcheck\.mjs/m);
    assert.ok(existsSync(join(dockerDir, 'healthcheck.mjs')));
    assert.match(readFileSync(join(dockerDir, 'healthcheck.mjs'), 'utf8'), /\/healthz/);
    const exposed = /^EXPOSE (.+)$/m.exec(runtime)![1]!.split(/\s+/).map(Number);
    const imageEnv = Object.fromEntries([...runtime.matchAll(/\b([A-Z_]+)=(\S+)/g)].map((match) => [match[1]!, match[2]!]));
    assert.deepEqual(exposed.sort(), [loadConfig(imageEnv).port, loadConfig(imageEnv).workerHttpPort].sort());
  });

  it('the container scripts parse, build the base the Dockerfile names, and run podman as this kind of host needs', () => {
    const scripts = ['local-base.sh', 'image-test.sh', 'podman-env.sh', 'install-system.sh'].map((file) => join(dockerDir, file));
    for (const script of scripts) execFileSync('bash', ['-n', script]);
    const base = /^ARG BASE=(\S+)$/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))![1]!;
    const localBase = readFileSync(join(dockerDir, 'local-base.sh'), 'utf8');
    assert.match(localBase, new RegExp(`tag="\\$\\{LOCAL_BASE_TAG:-localhost/${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\}"`), 'the stand-in is what --pull=never finds for BASE');
    assert.match(localBase, /Suites: bookworm-security/, "the stand-in takes Debian's security updates, where the host's Chromium comes from");
    const conf = readFileSync(join(dockerDir, 'containers.conf'), 'utf8');
    assert.match(conf, /^\[containers\]\ndefault_ulimits = \[\]$/m);
    assert.match(conf, /^\[engine\]\nruntime = "runc"$/m);
    const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.equal(packageJson.scripts['image:test'], 'bash docker/image-test.sh');
    assert.match(readFileSync(join(dockerDir, 'image-test.sh'), 'utf8'), /test\/image\/container\.test\.ts/);
    assert.ok(existsSync(join(root, 'test', 'image', 'container.test.ts')));
  });
});
