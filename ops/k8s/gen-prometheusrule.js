#!/usr/bin/env node
// Generates the Prometheus Operator PrometheusRules in k8s/base/monitoring/ from the rule files
// of ops/prometheus/rules/, so that Kubernetes and docker-compose evaluate the very same rules.
// A PrometheusRule's spec is a rule file (`groups:` …), so the file is embedded as it is, indented.
//   node ops/k8s/gen-prometheusrule.js           write the generated files
//   node ops/k8s/gen-prometheusrule.js --check   exit 1 when a generated file is out of date
// Plain Node, no dependencies.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const PAIRS = [
  { source: 'ops/prometheus/rules/legwork-alerts.yml', target: 'k8s/base/monitoring/prometheusrule-alerts.yaml', name: 'legwork-alerts' },
  {
    source: 'ops/prometheus/rules/legwork-recording.yml',
    target: 'k8s/base/monitoring/prometheusrule-recording.yaml',
    name: 'legwork-recording',
  },
];

function render({ source, name }) {
  const lines = fs.readFileSync(path.join(root, source), 'utf8').replace(/\r\n/g, '\n').split('\n');
  // Drop the source's leading comment block (it describes the source file), keep the rest verbatim.
  let start = 0;
  while (start < lines.length && (lines[start].startsWith('#') || lines[start].trim() === '')) start += 1;
  const body = lines
    .slice(start)
    .join('\n')
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => (line === '' ? '' : `  ${line}`))
    .join('\n');
  if (!/^ {2}groups:/.test(body)) throw new Error(`${source}: expected the rule file to start with \`groups:\``);
  return [
    `# GENERATED from ${source} by \`node ops/k8s/gen-prometheusrule.js\`: do not edit,`,
    '# edit the source and regenerate (scripts/check-ops.sh fails when this file is out of date).',
    'apiVersion: monitoring.coreos.com/v1',
    'kind: PrometheusRule',
    'metadata:',
    `  name: ${name}`,
    '  labels:',
    '    app.kubernetes.io/part-of: legwork',
    'spec:',
    body,
    '',
  ].join('\n');
}

const check = process.argv.includes('--check');
let stale = 0;
for (const pair of PAIRS) {
  const expected = render(pair);
  const targetPath = path.join(root, pair.target);
  const actual = fs.existsSync(targetPath) ? fs.readFileSync(targetPath, 'utf8') : null;
  if (check) {
    if (actual !== expected) {
      stale += 1;
      process.stderr.write(`${pair.target} is out of date with ${pair.source}: run node ops/k8s/gen-prometheusrule.js\n`);
    } else {
      process.stdout.write(`${pair.target} matches ${pair.source}\n`);
    }
  } else if (actual !== expected) {
    fs.writeFileSync(targetPath, expected);
    process.stdout.write(`wrote ${pair.target}\n`);
  } else {
    process.stdout.write(`${pair.target} already up to date\n`);
  }
}
process.exit(stale > 0 ? 1 : 0);
