#!/usr/bin/env node
// Offline check of k8s/platform/nats/values.yaml, the values for the official NATS Helm chart
// (nats-io/k8s `nats`, values layout of chart 1.x, kept in 2.14.x). Without helm and the chart the
// values cannot be rendered here, so this checks what it can:
// 1. YAML parses, and every key is one the chart defines: CHART_KEYS lists the chart's key paths
//    Legwork may set (taken from the chart's values.yaml; `*` below a key = free-form, as the
//    chart's `merge` blocks and resource maps are), so a misspelt key (`replica`, `filestore`)
//    fails instead of being silently ignored by helm;
// 2. Legwork's requirements: a 3-server cluster, JetStream on file storage on a PVC (no memory
//    store), `sync_interval: always`, nats >= 2.12.3, the chart's PDB, zone spread.
// Usage: node ops/k8s/check-nats-values.mjs [k8s/platform/nats/values.yaml]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = process.argv[2] ?? path.join(root, 'k8s/platform/nats/values.yaml');

const CHART_KEYS = [
  'config.cluster.enabled',
  'config.cluster.port',
  'config.cluster.replicas',
  'config.cluster.noAdvertise',
  'config.cluster.merge.*',
  'config.jetstream.enabled',
  'config.jetstream.fileStore.enabled',
  'config.jetstream.fileStore.dir',
  'config.jetstream.fileStore.maxSize',
  'config.jetstream.fileStore.pvc.enabled',
  'config.jetstream.fileStore.pvc.size',
  'config.jetstream.fileStore.pvc.storageClassName',
  'config.jetstream.fileStore.pvc.name',
  'config.jetstream.fileStore.pvc.merge.*',
  'config.jetstream.memoryStore.enabled',
  'config.jetstream.memoryStore.maxSize',
  'config.jetstream.merge.*',
  'config.nats.port',
  'config.monitor.enabled',
  'config.monitor.port',
  'config.serverNamePrefix',
  'config.merge.*',
  'container.image.repository',
  'container.image.tag',
  'container.image.digest',
  'container.image.registry',
  'container.image.pullPolicy',
  'container.env.*',
  'container.merge.*',
  'container.resources.*',
  'reloader.enabled',
  'promExporter.enabled',
  'promExporter.port',
  'promExporter.podMonitor.enabled',
  'promExporter.podMonitor.merge.*',
  'service.enabled',
  'service.merge.*',
  'statefulSet.merge.*',
  'podTemplate.configChecksumAnnotation',
  'podTemplate.topologySpreadConstraints.*',
  'podTemplate.merge.*',
  'podDisruptionBudget.enabled',
  'podDisruptionBudget.merge.*',
  'natsBox.enabled',
  'global.labels.*',
];

/** Leaf key paths of `value` ('a.b.c'), stopping below a path CHART_KEYS marks free-form. */
function keyPaths(value, prefix = '') {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  if (CHART_KEYS.includes(`${prefix}.*`)) return [`${prefix}.*`];
  return Object.entries(value).flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k));
}

const newer = (version, min) => {
  const a = version.split('.').map(Number);
  const b = min.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i];
  return true;
};

const problems = [];
let values;
try {
  values = parse(fs.readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`${file}: ${error.message}`);
  process.exit(1);
}
for (const key of keyPaths(values))
  if (!CHART_KEYS.includes(key)) problems.push(`${key}: not a key of the NATS chart (or not one Legwork expects)`);
const js = values?.config?.jetstream ?? {};
if (values?.config?.cluster?.enabled !== true || values.config.cluster.replicas !== 3)
  problems.push('config.cluster: enabled with replicas: 3');
if (js.enabled !== true) problems.push('config.jetstream.enabled: true');
if (js.fileStore?.enabled !== true || js.fileStore?.pvc?.enabled !== true || !js.fileStore?.pvc?.size)
  problems.push('config.jetstream.fileStore: enabled, on a PVC with a size');
if (js.memoryStore?.enabled === true) problems.push('config.jetstream.memoryStore: disabled (streams are file-backed)');
if (js.merge?.sync_interval !== 'always') problems.push('config.jetstream.merge.sync_interval: always (fsync before every ack)');
const tag = String(values?.container?.image?.tag ?? '');
const version = /^(\d+\.\d+\.\d+)/.exec(tag)?.[1];
if (!version || !newer(version, '2.12.3')) problems.push(`container.image.tag ${tag || '(chart default)'}: pin nats >= 2.12.3`);
if (values?.podDisruptionBudget?.enabled !== true) problems.push('podDisruptionBudget.enabled: true');
const zone = values?.podTemplate?.topologySpreadConstraints?.['topology.kubernetes.io/zone'];
if (!zone || zone.whenUnsatisfiable !== 'DoNotSchedule')
  problems.push('podTemplate.topologySpreadConstraints: topology.kubernetes.io/zone with DoNotSchedule');

if (problems.length > 0) {
  console.error(`${path.relative(root, file)}: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(
  `${path.relative(root, file)}: chart keys known; 3 servers, JetStream file store on a PVC, sync_interval always, nats ${version}, PDB, zone spread`,
);
