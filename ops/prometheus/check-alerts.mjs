#!/usr/bin/env node
// Checks what promtool cannot: every alert of ops/prometheus/rules/
// - has labels.severity (critical|warning) and annotations summary, description and runbook_url;
// - its runbook_url is <external label runbook_base_url, else docs/operations.md>#<anchor> and that
//   section exists in docs/operations.md;
// - has promtool unit tests (ops/prometheus/tests/) in which it fires (non-empty exp_alerts) and
//   in which it does not (an empty exp_alerts);
// and every test file loads both rule files. Needs the `yaml` dev dependency.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const rulesDir = path.join(root, 'ops', 'prometheus', 'rules');
const testsDir = path.join(root, 'ops', 'prometheus', 'tests');
const runbook = path.join(root, 'docs', 'operations.md');
/** The runbook_url prefix: absolute from Prometheus's external label runbook_base_url, relative without it. */
const RUNBOOK_BASE = '{{ with $externalLabels.runbook_base_url }}{{ . }}{{ else }}docs/operations.md{{ end }}';
const problems = [];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens; plus explicit <a id>. */
function anchorsOf(markdown) {
  const anchors = new Set();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const slug = heading[1]
        .toLowerCase()
        .replace(/`/g, '')
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .trim()
        .replace(/\s/g, '-');
      let unique = slug;
      for (let i = 1; anchors.has(unique); i += 1) unique = `${slug}-${i}`;
      anchors.add(unique);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
}

const anchors = fs.existsSync(runbook) ? anchorsOf(fs.readFileSync(runbook, 'utf8')) : new Set();
if (anchors.size === 0) problems.push('docs/operations.md is missing or has no headings');

const alerts = new Map();
for (const file of fs.readdirSync(rulesDir).filter((f) => /\.ya?ml$/.test(f))) {
  const doc = parse(fs.readFileSync(path.join(rulesDir, file), 'utf8'));
  for (const group of doc?.groups ?? []) {
    for (const rule of group.rules ?? []) {
      if (!rule.alert) continue;
      const where = `${file}: ${rule.alert}`;
      if (alerts.has(rule.alert)) problems.push(`${where}: alert name used twice`);
      alerts.set(rule.alert, { fires: [], quiet: [] });
      // A severity may be a template choosing between the two (LegworkOrphanedPosition, by origin).
      const severities = String(rule.labels?.severity ?? '')
        .replace(/\{\{[^}]*\}\}/g, ' ')
        .split(/\s+/)
        .filter(Boolean);
      if (severities.length === 0 || !severities.every((s) => ['critical', 'warning'].includes(s)))
        problems.push(`${where}: labels.severity must be critical or warning (or a template choosing between them)`);
      for (const key of ['summary', 'description', 'runbook_url']) {
        if (typeof rule.annotations?.[key] !== 'string' || rule.annotations[key].trim() === '')
          problems.push(`${where}: annotations.${key} missing`);
      }
      const url = rule.annotations?.runbook_url ?? '';
      const m = new RegExp(`^${RUNBOOK_BASE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#([a-z0-9_-]+)$`).exec(url);
      if (!m) problems.push(`${where}: runbook_url must be ${RUNBOOK_BASE}#<anchor>, is ${url}`);
      else if (!anchors.has(m[1])) problems.push(`${where}: docs/operations.md has no section #${m[1]}`);
    }
  }
}

const ruleFiles = fs.readdirSync(rulesDir).filter((f) => /\.ya?ml$/.test(f));
for (const file of fs.readdirSync(testsDir).filter((f) => /\.ya?ml$/.test(f))) {
  const doc = parse(fs.readFileSync(path.join(testsDir, file), 'utf8'));
  const loaded = (doc?.rule_files ?? []).map((f) => path.basename(f));
  for (const r of ruleFiles) if (!loaded.includes(r)) problems.push(`tests/${file}: rule_files must include ../rules/${r}`);
  for (const test of doc?.tests ?? []) {
    for (const t of test.alert_rule_test ?? []) {
      const entry = alerts.get(t.alertname);
      if (!entry) {
        problems.push(`tests/${file}: "${test.name}" tests unknown alert ${t.alertname}`);
        continue;
      }
      (Array.isArray(t.exp_alerts) && t.exp_alerts.length > 0 ? entry.fires : entry.quiet).push(`${file}: ${test.name}`);
    }
  }
}
for (const [name, { fires, quiet }] of alerts) {
  if (fires.length === 0) problems.push(`${name}: no unit test where it fires`);
  if (quiet.length === 0) problems.push(`${name}: no unit test where it does not fire`);
}

if (problems.length > 0) {
  process.stderr.write(`alert checks FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`${alerts.size} alerts: annotations and runbook sections present, unit tests fire and quiet each\n`);
