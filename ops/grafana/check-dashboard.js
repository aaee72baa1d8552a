#!/usr/bin/env node
// Checks the Grafana dashboards of ops/grafana/dashboards/ offline (plain Node, no dependencies):
// - the JSON is a dashboard model as Grafana's file provisioning loads it (not wrapped in
//   {"dashboard": …}; a uid, a title, a schemaVersion; no numeric id);
// - panel ids are unique, grid positions fit the 24-column grid, every query panel has targets
//   with unique refIds and a Prometheus datasource reference that resolves (the dashboard's
//   `datasource` variable or the provisioned datasource's uid);
// - every `legwork:…` recording rule a panel reads is defined in ops/prometheus/rules/;
// - every target's PromQL parses: the expressions, with Grafana's variables substituted
//   ($__rate_interval, $__interval, $__range → 5m), are written as recording rules into a temp
//   file and checked with `promtool check rules`.
// Usage: node ops/grafana/check-dashboard.js [dashboard.json …]   (PROMTOOL=/path/to/promtool)
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..', '..');
const grafanaDir = __dirname;
const recordingRules = path.join(root, 'ops', 'prometheus', 'rules', 'legwork-recording.yml');
const promtool = process.env.PROMTOOL || 'promtool';

const UID_RE = /^[a-zA-Z0-9_-]{1,40}$/;
const QUERY_PANEL_TYPES = new Set([
  'timeseries',
  'stat',
  'gauge',
  'bargauge',
  'table',
  'heatmap',
  'piechart',
  'state-timeline',
  'status-history',
  'histogram',
]);
const LAYOUT_PANEL_TYPES = new Set(['row', 'text', 'dashlist', 'alertlist', 'news']);
const GRAFANA_VARIABLES = {
  __rate_interval: '5m',
  __interval: '5m',
  __range: '5m',
  __range_s: '300',
  __range_ms: '300000',
  __interval_ms: '300000',
};

const problems = [];
const problem = (file, where, message) => problems.push(`${path.relative(root, file)}: ${where}: ${message}`);

/** The uids of the provisioned datasources, read from the provisioning YAML without a parser. */
function provisionedDatasources() {
  const dir = path.join(grafanaDir, 'provisioning', 'datasources');
  const found = [];
  for (const name of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    if (!/^apiVersion:\s*1\s*$/m.test(text)) problem(path.join(dir, name), 'apiVersion', 'expected `apiVersion: 1`');
    // One datasource per `- name:` item; take its uid and type.
    for (const item of text.split(/^\s*-\s+name:/m).slice(1)) {
      const uid = /^\s*uid:\s*["']?([^"'\s]+)/m.exec(item)?.[1];
      const type = /^\s*type:\s*["']?([^"'\s]+)/m.exec(item)?.[1];
      if (!uid) problem(path.join(dir, name), 'datasource', 'every provisioned datasource needs a fixed uid');
      else found.push({ uid, type });
    }
  }
  return found;
}

/** Checks the dashboards provider points at the directory docker-compose.yml mounts the JSON into. */
function checkDashboardProvider() {
  const dir = path.join(grafanaDir, 'provisioning', 'dashboards');
  const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  if (files.length === 0) problem(dir, 'providers', 'no dashboard provider file');
  const compose = fs.existsSync(path.join(root, 'docker-compose.yml'))
    ? fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')
    : '';
  for (const name of files) {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    if (!/^apiVersion:\s*1\s*$/m.test(text)) problem(file, 'apiVersion', 'expected `apiVersion: 1`');
    if (!/^\s*type:\s*file\s*$/m.test(text)) problem(file, 'providers', 'expected a `type: file` provider');
    const dashboardsPath = /^\s*path:\s*["']?([^"'\s]+)/m.exec(text)?.[1];
    if (!dashboardsPath) problem(file, 'options.path', 'missing');
    else if (compose && !compose.includes(`./ops/grafana/dashboards:${dashboardsPath}`)) {
      problem(file, 'options.path', `docker-compose.yml does not mount ./ops/grafana/dashboards at ${dashboardsPath}`);
    }
  }
}

function definedRecordingRules() {
  const text = fs.readFileSync(recordingRules, 'utf8');
  return new Set([...text.matchAll(/^\s*-?\s*record:\s*["']?([a-zA-Z_:][a-zA-Z0-9_:]*)/gm)].map((m) => m[1]));
}

/** Every panel, including those nested in collapsed rows. */
function allPanels(panels) {
  const out = [];
  for (const p of panels ?? []) {
    out.push(p);
    if (Array.isArray(p.panels)) out.push(...allPanels(p.panels));
  }
  return out;
}

function substituteVariables(expr, variables, file, where) {
  return expr.replace(/\$\{([a-zA-Z0-9_]+)(?::[a-z]+)?\}|\$([a-zA-Z0-9_]+)|\[\[([a-zA-Z0-9_]+)\]\]/g, (match, a, b, c) => {
    const name = a ?? b ?? c;
    if (name in GRAFANA_VARIABLES) return GRAFANA_VARIABLES[name];
    if (variables.has(name)) return variables.get(name);
    problem(file, where, `unknown variable ${match}`);
    return match;
  });
}

function checkDashboard(file, datasourceUids, records, ruleLines) {
  let dash;
  try {
    dash = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    problem(file, 'JSON', error.message);
    return null;
  }
  if (dash.dashboard && !dash.panels) problem(file, 'top level', 'file provisioning wants the bare dashboard model, not {"dashboard": …}');
  if (typeof dash.uid !== 'string' || !UID_RE.test(dash.uid)) problem(file, 'uid', 'missing or not [a-zA-Z0-9_-]{1,40}');
  if (typeof dash.title !== 'string' || dash.title.trim() === '') problem(file, 'title', 'missing');
  if (!Number.isInteger(dash.schemaVersion)) problem(file, 'schemaVersion', 'missing');
  if (dash.id !== undefined && dash.id !== null) problem(file, 'id', 'provisioned dashboards must not carry a numeric id (use null)');
  if (!Array.isArray(dash.panels) || dash.panels.length === 0) problem(file, 'panels', 'none');

  // Template variables: a `datasource` variable of type datasource may stand for the Prometheus uid.
  const variables = new Map();
  const datasourceVariables = new Set();
  for (const v of dash.templating?.list ?? []) {
    if (v.type === 'datasource') {
      if (v.query !== 'prometheus') problem(file, `variable ${v.name}`, 'datasource variables must query type prometheus');
      datasourceVariables.add(v.name);
    } else if (v.type === 'interval' || v.type === 'custom' || v.type === 'constant') {
      variables.set(v.name, v.type === 'interval' ? '5m' : String(v.query ?? '').split(',')[0] || 'x');
    } else {
      variables.set(v.name, '.*');
    }
  }
  const validDatasource = (ref) => {
    if (!ref || typeof ref !== 'object') return false;
    if (ref.type !== 'prometheus') return false;
    const variable = /^\$\{?([a-zA-Z0-9_]+)\}?$/.exec(ref.uid ?? '')?.[1];
    return variable ? datasourceVariables.has(variable) : datasourceUids.has(ref.uid);
  };

  const ids = new Map();
  let exprCount = 0;
  let queryPanels = 0;
  for (const panel of allPanels(dash.panels)) {
    const where = `panel ${panel.id} "${panel.title ?? ''}"`;
    if (!Number.isInteger(panel.id) || panel.id <= 0) problem(file, where, 'id must be a positive integer');
    else if (ids.has(panel.id)) problem(file, where, `duplicate id (also "${ids.get(panel.id)}")`);
    else ids.set(panel.id, panel.title);
    const g = panel.gridPos;
    if (!g || ![g.x, g.y, g.w, g.h].every(Number.isInteger) || g.x < 0 || g.w < 1 || g.h < 1 || g.x + g.w > 24) {
      problem(file, where, 'gridPos must have integer x, y, w, h within 24 columns');
    }
    if (!panel.title) problem(file, where, 'missing title');
    if (LAYOUT_PANEL_TYPES.has(panel.type)) continue;
    if (!QUERY_PANEL_TYPES.has(panel.type)) {
      problem(file, where, `unknown panel type ${panel.type}`);
      continue;
    }
    queryPanels += 1;
    if (!validDatasource(panel.datasource))
      problem(file, where, `datasource ${JSON.stringify(panel.datasource)} resolves to no provisioned Prometheus datasource`);
    if (!Array.isArray(panel.targets) || panel.targets.length === 0) {
      problem(file, where, 'no targets');
      continue;
    }
    const refIds = new Set();
    for (const target of panel.targets) {
      const twhere = `${where} target ${target.refId}`;
      if (!target.refId || refIds.has(target.refId)) problem(file, twhere, 'missing or duplicate refId');
      refIds.add(target.refId);
      if (target.datasource && !validDatasource(target.datasource))
        problem(file, twhere, `datasource ${JSON.stringify(target.datasource)} does not resolve`);
      if (typeof target.expr !== 'string' || target.expr.trim() === '') {
        problem(file, twhere, 'empty expr');
        continue;
      }
      for (const [name] of target.expr.matchAll(/\blegwork:[a-zA-Z0-9_:]+/g)) {
        if (!records.has(name))
          problem(file, twhere, `reads ${name}, which no recording rule in ${path.relative(root, recordingRules)} defines`);
      }
      const expr = substituteVariables(target.expr, variables, file, twhere);
      const record = `dashboard:${dash.uid.replace(/[^a-zA-Z0-9_]/g, '_')}:panel_${panel.id}_${target.refId}`;
      ruleLines.push(`      - record: ${record}`, `        expr: ${JSON.stringify(expr)}`);
      exprCount += 1;
    }
  }
  return { uid: dash.uid, title: dash.title, panels: queryPanels, exprs: exprCount };
}

function main() {
  const files = process.argv.slice(2).length
    ? process.argv.slice(2).map((f) => path.resolve(f))
    : fs
        .readdirSync(path.join(grafanaDir, 'dashboards'))
        .filter((f) => f.endsWith('.json'))
        .map((f) => path.join(grafanaDir, 'dashboards', f));
  const datasources = provisionedDatasources();
  const prometheusUids = new Set(datasources.filter((d) => d.type === 'prometheus').map((d) => d.uid));
  if (prometheusUids.size === 0) problems.push('ops/grafana/provisioning/datasources: no Prometheus datasource provisioned');
  checkDashboardProvider();
  const records = definedRecordingRules();

  const ruleLines = ['groups:', '  - name: dashboard-queries', '    rules:'];
  const summaries = [];
  const uids = new Map();
  for (const file of files) {
    const summary = checkDashboard(file, prometheusUids, records, ruleLines);
    if (!summary) continue;
    if (uids.has(summary.uid)) problems.push(`${path.relative(root, file)}: uid ${summary.uid} also used by ${uids.get(summary.uid)}`);
    uids.set(summary.uid, path.relative(root, file));
    summaries.push(summary);
  }

  // PromQL syntax: promtool parses every expression as a recording rule.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'legwork-dashboard-'));
  const rulesFile = path.join(tmp, 'dashboard-queries.yml');
  try {
    fs.writeFileSync(rulesFile, `${ruleLines.join('\n')}\n`);
    const run = spawnSync(promtool, ['check', 'rules', rulesFile], { encoding: 'utf8' });
    if (run.error) problems.push(`cannot run ${promtool}: ${run.error.message} (install Debian's prometheus package, or set PROMTOOL)`);
    else if (run.status !== 0) problems.push(`promtool rejected dashboard PromQL:\n${run.stdout}${run.stderr}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  if (problems.length > 0) {
    process.stderr.write(`dashboard check FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  for (const s of summaries) {
    process.stdout.write(
      `dashboard ${s.uid} ("${s.title}"): ${s.panels} query panels, ${s.exprs} PromQL expressions parse, datasources and recording rules resolve\n`,
    );
  }
}

main();
