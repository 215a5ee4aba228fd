#!/usr/bin/env node
/**
 * Runs before `npm start` and `npm test` so a fresh clone needs no other step. Plain Node, no
 * packages: it runs before any are installed.
 *
 * - npm dependencies: installed with `npm ci` when node_modules is missing or was installed from
 *   another package-lock.json (a hash of the lock file is kept beside the modules; modification
 *   times say nothing after a `git clone`).
 * - System packages the VS Code test host needs (Debian): installed with apt-get when running as
 *   root, otherwise the exact command is printed and the run stops.
 *
 * Usage: node scripts/preflight.mjs start|test
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'test';

/**
 * What each command needs from Debian. code-server builds native modules (a compiler, python3,
 * Kerberos headers); the tests drive its workbench with Chromium. The mesh overview's tests and the
 * demo query a real Prometheus scraping the stand-in (Debian's `prometheus`, /usr/bin/prometheus).
 */
const SYSTEM_PACKAGES = {
  start: ['libkrb5-dev', 'build-essential', 'python3', 'prometheus'],
  test: ['chromium', 'libkrb5-dev', 'build-essential', 'python3', 'prometheus'],
};

function fail(message) {
  console.error(`preflight: ${message}`);
  process.exit(1);
}

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20) fail(`Node.js 20 or later is needed; this is ${process.version}.`);
}

function lockHash() {
  return createHash('sha256').update(fs.readFileSync(path.join(repoRoot, 'package-lock.json'))).digest('hex');
}

function ensureNpmDependencies() {
  const modules = path.join(repoRoot, 'node_modules');
  const marker = path.join(modules, '.mesh-doctor-lock-sha256');
  const wanted = lockHash();
  const have = fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8').trim() : '';
  if (have === wanted) return;
  console.log(fs.existsSync(modules) ? 'preflight: package-lock.json changed since the last install; running npm ci' : 'preflight: installing npm dependencies (npm ci)');
  const res = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot, stdio: 'inherit' });
  if (res.status !== 0) fail(`npm ci failed (exit ${res.status ?? res.signal}); fix the error above and run the command again.`);
  fs.writeFileSync(marker, `${wanted}\n`);
}

function isDebian() {
  return fs.existsSync('/etc/debian_version') && spawnSync('dpkg', ['--version'], { stdio: 'ignore' }).status === 0;
}

function missingDebianPackages(names) {
  return names.filter((name) => {
    const res = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return res.status !== 0 || !res.stdout.includes('install ok installed');
  });
}

function ensureSystemPackages() {
  if (process.env.MESH_DOCTOR_SKIP_SYSTEM_PACKAGES === '1') return;
  if (!isDebian()) {
    console.warn(`preflight: not a Debian system; make sure the equivalents of ${SYSTEM_PACKAGES[mode].join(', ')} are installed.`);
    return;
  }
  const missing = missingDebianPackages(SYSTEM_PACKAGES[mode]);
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    fail(`these Debian packages are needed and missing: ${missing.join(', ')}.\nInstall them with:\n  sudo sh -c '${command}'\nthen run the command again.`);
  }
  console.log(`preflight: installing ${missing.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...missing]]) {
    const res = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (res.status !== 0) fail(`apt-get ${args[0]} failed (exit ${res.status ?? res.signal}); run '${command}' by hand and look at its error.`);
  }
}

if (mode !== 'start' && mode !== 'test') fail(`unknown mode ${JSON.stringify(mode)}: expected start or test`);
checkNode();
ensureSystemPackages();
ensureNpmDependencies();
