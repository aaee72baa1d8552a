// Offline checks of the platform manifests (k8s/platform) that kubernetes-models cannot do:
// - the CloudNativePG `Cluster` (postgresql.cnpg.io/v1; no npm package ships its schema): every
//   field must be one the CRD defines (the subset of the CNPG 1.25+ API reference Legwork may use,
//   listed below: an unknown or misspelt field is an error), with the right types, and Legwork's
//   requirements: >= 3 instances, synchronous replication that waits for a standby, zone spread;
// - rules across the rendered overlay: topology spread on every Deployment; with the platform
//   included, default-deny egress, DNS, NATS/PostgreSQL only for the four services, HTTPS egress
//   only for the services that call Bybit, a TLS Ingress to the gateway, R3 streams.
// Used by validate-manifests.mjs.

/** Field tree of the CNPG Cluster fields Legwork may set ('*' = free-form map, null = scalar). */
const CNPG_CLUSTER_FIELDS = {
  apiVersion: null,
  kind: null,
  metadata: { name: null, namespace: null, labels: '*', annotations: '*' },
  spec: {
    description: null,
    instances: null,
    imageName: null,
    imageCatalogRef: { apiGroup: null, kind: null, name: null, major: null },
    primaryUpdateStrategy: null,
    primaryUpdateMethod: null,
    minSyncReplicas: null,
    maxSyncReplicas: null,
    enablePDB: null,
    enableSuperuserAccess: null,
    startDelay: null,
    stopDelay: null,
    switchoverDelay: null,
    failoverDelay: null,
    postgresql: {
      parameters: '*',
      pg_hba: null,
      pg_ident: null,
      shared_preload_libraries: null,
      synchronous: {
        method: null,
        number: null,
        dataDurability: null,
        maxStandbyNamesFromCluster: null,
        standbyNamesPre: null,
        standbyNamesPost: null,
      },
    },
    bootstrap: {
      initdb: {
        database: null,
        owner: null,
        secret: { name: null },
        encoding: null,
        localeCollate: null,
        localeCType: null,
        dataChecksums: null,
        postInitApplicationSQL: null,
      },
    },
    storage: { size: null, storageClass: null, resizeInUseVolumes: null },
    walStorage: { size: null, storageClass: null },
    affinity: { enablePodAntiAffinity: null, podAntiAffinityType: null, topologyKey: null, nodeSelector: '*', tolerations: null },
    topologySpreadConstraints: null,
    resources: { requests: '*', limits: '*' },
    monitoring: { enablePodMonitor: null, customQueriesConfigMap: null },
    inheritedMetadata: { labels: '*', annotations: '*' },
  },
};

function unknownFieldsIn(value, tree, at, errors) {
  if (tree === '*' || tree === null || value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (!(key in tree)) errors.push(`${at}${key}: unknown field (not in the CNPG Cluster fields Legwork uses)`);
    else unknownFieldsIn(child, tree[key], `${at}${key}.`, errors);
  }
}

/** Problems of one CNPG Cluster document: unknown fields, types, Legwork's durability rules. */
export function cnpgClusterProblems(doc) {
  const errors = [];
  unknownFieldsIn(doc, CNPG_CLUSTER_FIELDS, '', errors);
  const spec = doc.spec ?? {};
  const sync = spec.postgresql?.synchronous;
  if (!Number.isInteger(spec.instances) || spec.instances < 3) errors.push('spec.instances: at least 3 (a primary and two standbys)');
  if (typeof spec.imageName !== 'string' || !/:[0-9][0-9A-Za-z.-]*$/.test(spec.imageName))
    errors.push('spec.imageName: needs a pinned version tag');
  if (sync) {
    if (!['any', 'first'].includes(sync.method)) errors.push('spec.postgresql.synchronous.method: any | first');
    if (!Number.isInteger(sync.number) || sync.number < 1 || sync.number >= spec.instances)
      errors.push('spec.postgresql.synchronous.number: 1 .. instances - 1');
    if (sync.dataDurability !== 'required')
      errors.push('spec.postgresql.synchronous.dataDurability: required (a commit waits for a standby)');
    if (spec.minSyncReplicas !== undefined || spec.maxSyncReplicas !== undefined)
      errors.push('spec: minSyncReplicas/maxSyncReplicas cannot be combined with postgresql.synchronous');
  } else if (!(spec.minSyncReplicas >= 1 && spec.maxSyncReplicas >= spec.minSyncReplicas)) {
    errors.push('spec: synchronous replication required (postgresql.synchronous, or minSyncReplicas >= 1 <= maxSyncReplicas)');
  }
  if (typeof spec.storage?.size !== 'string') errors.push('spec.storage.size: required');
  const zoneSpread = (spec.topologySpreadConstraints ?? []).some(
    (c) => c.topologyKey === 'topology.kubernetes.io/zone' && c.labelSelector?.matchLabels?.['cnpg.io/cluster'] === doc.metadata?.name,
  );
  if (!zoneSpread)
    errors.push('spec.topologySpreadConstraints: spread instances over topology.kubernetes.io/zone (labelSelector cnpg.io/cluster)');
  return errors;
}

/** Labels of the pods the platform creates outside Deployments (CNPG instances; the NATS chart's StatefulSet, release `nats`). */
export function platformPodLabels(docs) {
  const clusters = docs.filter((d) => d.kind === 'Cluster' && d.apiVersion === 'postgresql.cnpg.io/v1');
  if (clusters.length === 0) return [];
  return [
    ...clusters.map((c) => ({ 'cnpg.io/cluster': c.metadata.name, 'cnpg.io/podRole': 'instance' })),
    { 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': 'nats', 'app.kubernetes.io/component': 'nats' },
  ];
}

const EXCHANGE_READERS = ['executor', 'reconciler', 'orphan-monitor'];

/** Rules across a rendered overlay; `selects(selector, labels)` is validate-manifests' matcher. */
export function platformProblems(docs, env, selects) {
  const problems = [];
  const deployments = docs.filter((d) => d.kind === 'Deployment');
  for (const d of deployments) {
    const labels = d.spec?.template?.metadata?.labels ?? {};
    const spread = d.spec?.template?.spec?.topologySpreadConstraints ?? [];
    if (!spread.some((c) => c.topologyKey === 'topology.kubernetes.io/zone' && selects(c.labelSelector, labels)))
      problems.push(
        `Deployment/${d.metadata.name}: needs a topologySpreadConstraint over topology.kubernetes.io/zone selecting its own pods`,
      );
  }
  if (platformPodLabels(docs).length === 0) {
    if (env !== 'dev') problems.push(`${env}: must include k8s/platform (NATS/PostgreSQL policies, CNPG Cluster, Ingress)`);
    return problems;
  }
  const policies = docs.filter((d) => d.kind === 'NetworkPolicy');
  const egress = policies.filter((p) => p.spec?.policyTypes?.includes('Egress'));
  const pods = deployments.map((d) => ({ name: d.metadata.name, labels: d.spec.template.metadata.labels }));
  for (const pod of pods) {
    const applying = egress.filter((p) => selects(p.spec.podSelector, pod.labels));
    if (applying.length === 0) problems.push(`Deployment/${pod.name}: no egress policy applies (default-deny egress missing)`);
    const rules = applying.flatMap((p) => p.spec.egress ?? []);
    const reachesPort = (port) => rules.some((r) => (r.ports ?? []).some((p) => p.port === port));
    if (rules.some((r) => !r.ports || r.ports.length === 0)) problems.push(`Deployment/${pod.name}: an egress rule without ports`);
    if (!reachesPort(53)) problems.push(`Deployment/${pod.name}: no DNS egress`);
    const component = pod.labels['app.kubernetes.io/component'];
    const isService = ['gateway', ...EXCHANGE_READERS].includes(component);
    if (isService !== (reachesPort(4222) && reachesPort(5432)))
      problems.push(`Deployment/${pod.name}: NATS and PostgreSQL egress for exactly the four services`);
    if (EXCHANGE_READERS.includes(component) !== reachesPort(443))
      problems.push(`Deployment/${pod.name}: HTTPS egress for exactly ${EXCHANGE_READERS.join(', ')}`);
  }
  const ingress = docs.filter((d) => d.kind === 'Ingress');
  const gatewayTls = ingress.some((i) => {
    const hosts = (i.spec?.tls ?? []).flatMap((t) => (t.secretName ? (t.hosts ?? []) : []));
    const rules = i.spec?.rules ?? [];
    return (
      rules.length > 0 &&
      rules.every((r) => hosts.includes(r.host) && (r.http?.paths ?? []).every((p) => p.backend?.service?.name === 'legwork-gateway'))
    );
  });
  if (!gatewayTls) problems.push('no Ingress routes to Service/legwork-gateway with TLS for every host');
  const config = docs.find((d) => d.kind === 'ConfigMap' && /^legwork-config/.test(d.metadata?.name ?? ''));
  if (config?.data?.BUS_STREAM_REPLICAS !== '3')
    problems.push(`${env}: legwork-config BUS_STREAM_REPLICAS must be 3 (R3 streams on the 3-server NATS cluster)`);
  return problems;
}
