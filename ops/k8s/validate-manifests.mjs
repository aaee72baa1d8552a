#!/usr/bin/env node
// Validates rendered Kubernetes manifests (the output of `kubectl kustomize k8s/overlays/<env>`)
// offline:
// 1. schema: every object against the Kubernetes OpenAPI schemas bundled in the npm package
//    `kubernetes-models` (Prometheus Operator CRDs: `@kubernetes-models/prometheus-operator`);
//    an apiVersion/kind without a schema is an error;
// 2. strict fields: every field must exist in the schema (the bundled validators ignore unknown
//    fields, so a typo such as `readinesProbe` would pass): checked against the packages' type
//    declarations, parsed with the TypeScript compiler API;
// 3. Legwork's rules: no Secret (secrets only by reference, to `legwork-secrets`); every service
//    container has a readiness probe on /health/ready and a liveness probe on /health/live, requests and a memory limit, a
//    non-root security context, a pinned image tag; the executor is scaled by an HPA and has a
//    grace period long enough to finish in-flight legs; Services, PDBs, NetworkPolicies and the
//    ServiceMonitor select existing pods/Services; only the gateway accepts ingress from
//    anywhere; BYBIT_ENV is what the environment expects; every PrometheusRule is identical to
//    its source in ops/prometheus/rules/ and passes `promtool check rules`.
// Usage: node ops/k8s/validate-manifests.mjs --env dev|staging|prod [--bybit-env sim] FILE|-
// Needs the dev dependencies kubernetes-models, @kubernetes-models/prometheus-operator, yaml and
// typescript (PROMTOOL=/path/to/promtool optional).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import ts from 'typescript';
import { parse, parseAllDocuments } from 'yaml';
import { cnpgClusterProblems, platformPodLabels, platformProblems } from './platform-rules.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXPECTED_BYBIT_ENV = { dev: 'sim', staging: 'testnet', prod: 'mainnet' };
/** Probe paths each container must use: Legwork's services (libs/observability OpsController) and the dev simulator. */
const PROBE_PATHS = {
  service: { readinessProbe: '/health/ready', livenessProbe: '/health/live' },
  simulator: { readinessProbe: '/health', livenessProbe: '/health' },
};
const SECRET_NAME = 'legwork-secrets';
const RULE_SOURCES = {
  'legwork-alerts': 'ops/prometheus/rules/legwork-alerts.yml',
  'legwork-recording': 'ops/prometheus/rules/legwork-recording.yml',
};
const MIN_EXECUTOR_GRACE_SECONDS = 120;

// ---------------------------------------------------------------------------------------------
// arguments and input

function parseArgs(argv) {
  const args = { env: null, bybitEnv: null, file: '-' };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--env') args.env = argv[++i];
    else if (argv[i] === '--bybit-env') args.bybitEnv = argv[++i];
    else args.file = argv[i];
  }
  if (!args.env) throw new Error('usage: validate-manifests.mjs --env dev|staging|prod [--bybit-env sim|testnet|mainnet] FILE|-');
  args.bybitEnv ??= EXPECTED_BYBIT_ENV[args.env];
  return args;
}

function readDocuments(file) {
  const text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  const docs = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) docs.push(value);
  }
  return docs;
}

// ---------------------------------------------------------------------------------------------
// 1. schema validation with kubernetes-models

function modelSpecifier(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[A-Za-z]+$/.test(kind)) return null;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

async function loadModel(apiVersion, kind) {
  const specifier = modelSpecifier(apiVersion, kind);
  if (!specifier) return null;
  try {
    const module = await import(specifier);
    const Model = module[kind];
    if (typeof Model !== 'function') return null;
    return { Model, dts: fileURLToPath(import.meta.resolve(specifier)).replace(/\.js$/, '.d.ts'), interfaceName: `I${kind}` };
  } catch (error) {
    if (error?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || error?.code === 'ERR_MODULE_NOT_FOUND') return null;
    throw error;
  }
}

function schemaErrors(Model, doc) {
  try {
    new Model(doc).validate();
    return [];
  } catch (error) {
    const details = Array.isArray(error?.errors) ? error.errors : null;
    if (details)
      return details.map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
    return [String(error?.message ?? error)];
  }
}

// ---------------------------------------------------------------------------------------------
// 2. strict fields, from the models' .d.ts files

const sourceFiles = new Map();

function parseDts(file) {
  let parsed = sourceFiles.get(file);
  if (parsed) return parsed;
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  parsed = { file, interfaces: new Map(), aliases: new Map(), imports: new Map(), exportAs: new Map() };
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement)) parsed.interfaces.set(statement.name.text, statement);
    else if (ts.isTypeAliasDeclaration(statement)) parsed.aliases.set(statement.name.text, statement.type);
    else if (
      ts.isImportDeclaration(statement) &&
      statement.importClause?.namedBindings &&
      ts.isNamedImports(statement.importClause.namedBindings)
    ) {
      for (const element of statement.importClause.namedBindings.elements) {
        parsed.imports.set(element.name.text, { from: statement.moduleSpecifier.text, name: (element.propertyName ?? element.name).text });
      }
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause) &&
      !statement.moduleSpecifier
    ) {
      for (const element of statement.exportClause.elements)
        parsed.exportAs.set(element.name.text, (element.propertyName ?? element.name).text);
    }
  }
  sourceFiles.set(file, parsed);
  return parsed;
}

function resolveModuleFile(fromFile, specifier) {
  const candidates = [];
  if (specifier.startsWith('.')) {
    const base = path.resolve(path.dirname(fromFile), specifier).replace(/\.js$/, '');
    candidates.push(`${base}.d.ts`, path.join(base, 'index.d.ts'));
  } else {
    const parts = specifier.split('/');
    const pkg = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    const sub = parts.slice(specifier.startsWith('@') ? 2 : 1).join('/');
    for (let dir = path.dirname(fromFile); ; dir = path.dirname(dir)) {
      const pkgDir = path.join(dir, 'node_modules', pkg);
      if (fs.existsSync(pkgDir)) {
        candidates.push(path.join(pkgDir, `${sub || 'index'}.d.ts`), path.join(pkgDir, sub, 'index.d.ts'));
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  return candidates.find((c) => fs.existsSync(c)) ?? null;
}

/** A type name as seen from `file`: { kind: 'interface'|'alias', node, file } or null (unknown: lenient). */
function resolveTypeName(file, name, depth = 0) {
  if (depth > 8) return null;
  const parsed = parseDts(file);
  const local = parsed.exportAs.get(name) ?? name;
  if (parsed.interfaces.has(local)) return { kind: 'interface', node: parsed.interfaces.get(local), file };
  if (parsed.aliases.has(local)) return { kind: 'alias', node: parsed.aliases.get(local), file };
  const imported = parsed.imports.get(local);
  if (imported) {
    const target = resolveModuleFile(file, imported.from);
    return target ? resolveTypeName(target, imported.name, depth + 1) : null;
  }
  return null;
}

function memberName(member) {
  const name = member.name;
  if (!name) return null;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return null;
}

/** Properties of an interface (with TypeMeta and resolvable heritage), or null when open-ended. */
function interfaceShape(resolved) {
  const members = new Map();
  let indexType = null;
  const collect = (node, file) => {
    for (const member of node.members) {
      if (ts.isIndexSignatureDeclaration(member)) indexType = { type: member.type, file };
      else if (ts.isPropertySignature(member) && memberName(member) !== null) members.set(memberName(member), { type: member.type, file });
    }
    for (const clause of node.heritageClauses ?? []) {
      for (const heritage of clause.types) {
        const name = heritage.expression.getText();
        if (name === 'TypeMeta') {
          members.set('apiVersion', { type: null, file });
          members.set('kind', { type: null, file });
          continue;
        }
        const base = resolveTypeName(file, name);
        if (!base || base.kind !== 'interface') return false;
        if (collect(base.node, base.file) === false) return false;
      }
    }
    return true;
  };
  if (collect(resolved.node, resolved.file) === false) return null;
  return { members, indexType };
}

function strictCheck(value, type, file, at, errors, depth = 0) {
  if (!type || value === null || value === undefined || depth > 40) return;
  if (ts.isParenthesizedTypeNode(type)) return strictCheck(value, type.type, file, at, errors, depth + 1);
  if (ts.isArrayTypeNode(type)) {
    if (Array.isArray(value)) value.forEach((v, i) => strictCheck(v, type.elementType, file, `${at}[${i}]`, errors, depth + 1));
    return;
  }
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText();
    if (name === 'Array' && type.typeArguments?.length === 1) {
      if (Array.isArray(value)) value.forEach((v, i) => strictCheck(v, type.typeArguments[0], file, `${at}[${i}]`, errors, depth + 1));
      return;
    }
    const resolved = resolveTypeName(file, name);
    if (!resolved) return;
    if (resolved.kind === 'alias') return strictCheck(value, resolved.node, resolved.file, at, errors, depth + 1);
    return checkObject(value, interfaceShape(resolved), at, errors, depth);
  }
  if (ts.isTypeLiteralNode(type)) {
    return checkObject(value, interfaceShape({ node: type, file }), at, errors, depth);
  }
  if (ts.isUnionTypeNode(type)) {
    // Only unions with a single object-like member are followed (e.g. `T | null`).
    const objectLike = type.types.filter((t) => ts.isTypeReferenceNode(t) || ts.isTypeLiteralNode(t) || ts.isArrayTypeNode(t));
    if (objectLike.length === 1 && typeof value === 'object') strictCheck(value, objectLike[0], file, at, errors, depth + 1);
  }
}

function checkObject(value, shape, at, errors, depth) {
  if (!shape || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const member = shape.members.get(key);
    if (member) strictCheck(child, member.type, member.file, `${at}.${key}`, errors, depth + 1);
    else if (shape.indexType) strictCheck(child, shape.indexType.type, shape.indexType.file, `${at}.${key}`, errors, depth + 1);
    else errors.push(`${at}.${key}: unknown field`);
  }
}

function unknownFields(model, doc) {
  const resolved = resolveTypeName(model.dts, model.interfaceName);
  if (!resolved || resolved.kind !== 'interface') return [`no type declaration ${model.interfaceName} in ${model.dts}`];
  const errors = [];
  checkObject(doc, interfaceShape(resolved), '', errors, 0);
  return errors.map((e) => e.replace(/^\./, ''));
}

// ---------------------------------------------------------------------------------------------
// 3. Legwork's rules

const labelsMatch = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
const isEmpty = (o) => !o || Object.keys(o).length === 0;
/** A label selector (matchLabels and matchExpressions with In / NotIn / Exists / DoesNotExist) against labels. */
const selectorMatches = (selector, labels) =>
  labelsMatch(selector?.matchLabels, labels) &&
  (selector?.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const has = labels?.[key] !== undefined;
    if (operator === 'In') return has && values.includes(labels[key]);
    if (operator === 'NotIn') return !has || !values.includes(labels[key]);
    if (operator === 'Exists') return has;
    if (operator === 'DoesNotExist') return !has;
    return false;
  });

function legworkRules(docs, args, problems) {
  const byKind = (kind) => docs.filter((d) => d.kind === kind);
  const deployments = byKind('Deployment');
  const podLabels = deployments.map((d) => d.spec?.template?.metadata?.labels ?? {});
  const policyTargets = [...podLabels, ...platformPodLabels(docs)];
  const name = (d) => `${d.kind}/${d.metadata?.name}`;

  for (const secret of byKind('Secret'))
    problems.push(`${name(secret)}: secrets must not be defined in the repository (reference ${SECRET_NAME} instead)`);

  // Secret references, wherever they are.
  const walk = (value, at, visit) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${at}[${i}]`, visit));
    else if (value && typeof value === 'object') {
      visit(value, at);
      for (const [k, v] of Object.entries(value)) walk(v, `${at}.${k}`, visit);
    }
  };
  for (const doc of docs) {
    walk(doc, name(doc), (node, at) => {
      for (const key of ['secretRef', 'secretKeyRef']) {
        if (node[key] && node[key].name !== SECRET_NAME)
          problems.push(`${at}.${key}: references ${node[key].name}, expected ${SECRET_NAME}`);
      }
      if (node.secret?.secretName && node.secret.secretName !== SECRET_NAME)
        problems.push(`${at}.secret: mounts ${node.secret.secretName}, expected ${SECRET_NAME}`);
    });
  }

  for (const deployment of deployments) {
    const where = name(deployment);
    const pod = deployment.spec?.template?.spec ?? {};
    if (!Number.isInteger(pod.terminationGracePeriodSeconds)) problems.push(`${where}: set terminationGracePeriodSeconds`);
    if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${where}: pod securityContext.runAsNonRoot must be true`);
    for (const [kind, containers] of [
      ['initContainers', pod.initContainers ?? []],
      ['containers', pod.containers ?? []],
    ]) {
      for (const c of containers) {
        const cw = `${where} ${kind}/${c.name}`;
        if (!/:[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(c.image ?? '') || /:latest$/.test(c.image))
          problems.push(`${cw}: image ${c.image} needs a pinned tag (set images: in the overlay)`);
        if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory)
          problems.push(`${cw}: needs resources.requests.cpu/memory and limits.memory`);
        if (c.securityContext?.allowPrivilegeEscalation !== false)
          problems.push(`${cw}: securityContext.allowPrivilegeEscalation must be false`);
        if (kind === 'containers') {
          // Legwork's services: liveness checks no dependency, readiness does (the dev-only simulator has one /health).
          const paths = c.name === 'bybit-sim' ? PROBE_PATHS.simulator : PROBE_PATHS.service;
          for (const [probe, path] of Object.entries(paths)) {
            if (c[probe]?.httpGet?.path !== path) problems.push(`${cw}: ${probe} must GET ${path}`);
          }
        }
      }
    }
  }

  // The executor: an HPA owns its replicas; its grace period lets in-flight legs finish.
  const executor = deployments.find((d) => d.metadata?.name === 'legwork-executor');
  if (!executor) problems.push('Deployment/legwork-executor missing');
  else {
    const hpa = byKind('HorizontalPodAutoscaler').find(
      (h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef.name === 'legwork-executor',
    );
    if (!hpa) problems.push('no HorizontalPodAutoscaler scales Deployment/legwork-executor');
    else if (!(hpa.spec.minReplicas >= 1 && hpa.spec.maxReplicas >= hpa.spec.minReplicas))
      problems.push(`${name(hpa)}: needs 1 <= minReplicas <= maxReplicas`);
    if (executor.spec?.replicas !== undefined) problems.push('Deployment/legwork-executor: leave spec.replicas to the HPA');
    if (!(executor.spec?.template?.spec?.terminationGracePeriodSeconds >= MIN_EXECUTOR_GRACE_SECONDS)) {
      problems.push(
        `Deployment/legwork-executor: terminationGracePeriodSeconds must be >= ${MIN_EXECUTOR_GRACE_SECONDS} (finish in-flight legs)`,
      );
    }
  }
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    const target = hpa.spec?.scaleTargetRef;
    if (!deployments.some((d) => d.metadata?.name === target?.name))
      problems.push(`${name(hpa)}: scales ${target?.kind}/${target?.name}, which does not exist`);
  }

  // Selectors select something.
  for (const service of byKind('Service')) {
    if (!podLabels.some((l) => labelsMatch(service.spec?.selector, l))) problems.push(`${name(service)}: selector matches no pod template`);
  }
  for (const pdb of byKind('PodDisruptionBudget')) {
    if (!podLabels.some((l) => labelsMatch(pdb.spec?.selector?.matchLabels, l)))
      problems.push(`${name(pdb)}: selector matches no pod template`);
  }
  if (!byKind('PodDisruptionBudget').some((p) => labelsMatch(p.spec?.selector?.matchLabels, executor?.spec?.template?.metadata?.labels))) {
    problems.push('no PodDisruptionBudget covers the executor');
  }

  // Network policies: default deny, and only the gateway open to every source.
  const policies = byKind('NetworkPolicy');
  if (!policies.some((p) => isEmpty(p.spec?.podSelector) && p.spec?.policyTypes?.includes('Ingress') && isEmpty(p.spec?.ingress))) {
    problems.push('no default-deny ingress NetworkPolicy (podSelector {}, policyTypes [Ingress], no ingress rules)');
  }
  for (const policy of policies) {
    const selected = policyTargets.filter((l) => selectorMatches(policy.spec?.podSelector, l));
    if (!isEmpty(policy.spec?.podSelector) && selected.length === 0) problems.push(`${name(policy)}: podSelector matches no pod template`);
    for (const rule of policy.spec?.ingress ?? []) {
      const open = !rule.from || rule.from.length === 0 || rule.from.some((f) => f.ipBlock?.cidr === '0.0.0.0/0');
      if (open && selected.some((l) => l['app.kubernetes.io/component'] !== 'gateway')) {
        problems.push(`${name(policy)}: opens ingress from anywhere to a pod other than the gateway`);
      }
    }
  }
  const gateway = deployments.find((d) => d.metadata?.name === 'legwork-gateway');
  const gatewayOpen = policies.some(
    (p) =>
      labelsMatch(p.spec?.podSelector?.matchLabels, gateway?.spec?.template?.metadata?.labels) &&
      (p.spec?.ingress ?? []).some((r) => !r.from),
  );
  if (!gatewayOpen) problems.push('no NetworkPolicy lets clients reach the gateway');

  // ServiceMonitor selects Services with the named port.
  for (const monitor of byKind('ServiceMonitor')) {
    const services = byKind('Service').filter((s) => selectorMatches(monitor.spec?.selector, s.metadata?.labels));
    if (services.length === 0) problems.push(`${name(monitor)}: selects no Service`);
    // The simulator serves no /metrics: scraping it would only add a target that is always down.
    for (const s of services.filter((s) => s.metadata?.labels?.['app.kubernetes.io/component'] === 'bybit-sim'))
      problems.push(`${name(monitor)}: selects Service/${s.metadata.name}, which has no /metrics`);
    for (const endpoint of monitor.spec?.endpoints ?? []) {
      for (const s of services) {
        if (!(s.spec?.ports ?? []).some((p) => p.name === endpoint.port))
          problems.push(`${name(monitor)}: Service/${s.metadata.name} has no port named ${endpoint.port}`);
      }
    }
    if (monitor.spec?.jobLabel) {
      for (const s of services) {
        if (!s.metadata?.labels?.[monitor.spec.jobLabel])
          problems.push(`Service/${s.metadata.name}: lacks label ${monitor.spec.jobLabel} (the scrape job name the alert rules use)`);
      }
    }
  }

  // BYBIT_ENV per environment.
  const configs = byKind('ConfigMap').filter((c) => /^legwork-config(-|$)/.test(c.metadata?.name ?? ''));
  if (configs.length !== 1) problems.push(`expected one legwork-config ConfigMap, found ${configs.length}`);
  for (const config of configs) {
    if (config.data?.BYBIT_ENV !== args.bybitEnv)
      problems.push(`${name(config)}: BYBIT_ENV=${config.data?.BYBIT_ENV} but ${args.env} must use ${args.bybitEnv}`);
  }

  // PrometheusRules: identical to the rule files; promtool accepts them.
  const rules = byKind('PrometheusRule');
  for (const [ruleName, source] of Object.entries(RULE_SOURCES)) {
    const rule = rules.find((r) => r.metadata?.name === ruleName);
    if (!rule) {
      problems.push(`PrometheusRule/${ruleName} missing (generated from ${source})`);
      continue;
    }
    const expected = parse(fs.readFileSync(path.join(root, source), 'utf8'));
    if (!isDeepStrictEqual(rule.spec, expected)) {
      problems.push(`PrometheusRule/${ruleName}: differs from ${source} (run node ops/k8s/gen-prometheusrule.js)`);
    }
  }
  if (rules.length > 0) promtoolCheck(rules, problems);
  problems.push(...platformProblems(docs, args.env, selectorMatches));
}

function promtoolCheck(rules, problems) {
  const promtool = process.env.PROMTOOL || 'promtool';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'legwork-prometheusrule-'));
  try {
    const files = rules.map((rule) => {
      const file = path.join(dir, `${rule.metadata.name}.yml`);
      fs.writeFileSync(file, JSON.stringify(rule.spec));
      return file;
    });
    const run = spawnSync(promtool, ['check', 'rules', ...files], { encoding: 'utf8' });
    if (run.error) problems.push(`cannot run ${promtool}: ${run.error.message}`);
    else if (run.status !== 0) problems.push(`promtool check rules failed on the rendered PrometheusRules:\n${run.stdout}${run.stderr}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const docs = readDocuments(args.file);
  const problems = [];
  const kinds = new Map();
  for (const doc of docs) {
    const where = `${doc.kind}/${doc.metadata?.name ?? '?'}`;
    kinds.set(doc.kind, (kinds.get(doc.kind) ?? 0) + 1);
    if (doc.apiVersion === 'postgresql.cnpg.io/v1' && doc.kind === 'Cluster') {
      for (const e of cnpgClusterProblems(doc)) problems.push(`${where}: ${e}`);
      continue;
    }
    const model = await loadModel(doc.apiVersion, doc.kind);
    if (!model) {
      problems.push(`${where}: no schema for ${doc.apiVersion} ${doc.kind}`);
      continue;
    }
    for (const e of schemaErrors(model.Model, doc)) problems.push(`${where}: schema: ${e}`);
    for (const e of unknownFields(model, doc)) problems.push(`${where}: ${e}`);
  }
  legworkRules(docs, args, problems);

  if (problems.length > 0) {
    process.stderr.write(`${args.env}: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  const summary = [...kinds].map(([k, n]) => `${k}×${n}`).join(', ');
  process.stdout.write(
    `${args.env}: ${summary}\n${args.env}: ${docs.length} objects valid (Kubernetes schemas, strict fields, Legwork's rules)\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`validate-manifests: ${error.stack ?? error}\n`);
  process.exit(2);
});
