import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run as runCorrelate } from '../../../../src/cli/correlate';
import { INCIDENT_APP, INCIDENT_CLOCK_OFFSET_SECONDS, INCIDENT_ENVOY, REPO_ROOT, sharedFixture } from './fixtures';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCorrelate(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: process.cwd() });
  return { code, stdout, stderr };
}

const incidentArgs = ['--clock-offset', String(INCIDENT_CLOCK_OFFSET_SECONDS), sharedFixture(...INCIDENT_APP), sharedFixture(...INCIDENT_ENVOY)];

describe('mesh-doctor correlate', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-correlate-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints the incident as JSON: the reset, its verdict and the matched lines', async () => {
    const { code, stdout } = await run(['--format', 'json', ...incidentArgs]);
    assert.equal(code, 0);
    const json = JSON.parse(stdout) as { resets: Record<string, unknown>[] };
    assert.equal(json.resets.length, 1);
    const reset = json.resets[0]!;
    assert.equal(reset.file, sharedFixture(...INCIDENT_APP));
    assert.equal(reset.line, 1);
    assert.equal(reset.time, '2020-05-29T22:04:06.067Z');
    assert.equal(reset.pod, null);
    assert.equal(reset.cause, 'connect-timeout');
    assert.ok((reset.confidence as number) >= 0.85);
    const matches = reset.matches as Record<string, unknown>[];
    const timeout = matches.find((m) => m.line === 12)!;
    assert.deepEqual(Object.keys(timeout).slice(0, 6), ['file', 'line', 'kind', 'connectionId', 'cluster', 'time']);
    assert.deepEqual([timeout.kind, timeout.connectionId, timeout.cluster, timeout.time], ['connect-timeout', '332', 'outbound|443||cc-api-xxx-xxx.xxx.io', '2020-05-29T22:04:06.066Z']);
  });

  it('loads the manifest linter only with --workspace (it was most of the start-up time)', async () => {
    // A fresh process: this one may have loaded it for other tests.
    const script = `const { run } = require(${JSON.stringify(path.join(REPO_ROOT, 'out', 'src', 'cli', 'correlate.js'))});
      const io = { stdout: () => {}, stderr: () => {}, cwd: process.cwd() };
      const loaded = () => Object.keys(require.cache).some((f) => f.endsWith('workspaceSettings.js'));
      run(process.argv.slice(1), io).then(async () => {
        const without = loaded();
        await run(['--workspace', process.cwd(), ...process.argv.slice(1)], io);
        console.log(JSON.stringify([without, loaded()]));
      });`;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['-e', script, sharedFixture(...INCIDENT_ENVOY)], { cwd: dir }, (error, out) => (error ? reject(error) : resolve(out))),
    );
    assert.deepEqual(JSON.parse(stdout), [false, true]);
  });

  it('with --workspace, says where the workspace sets the connect timeout: the rule for the host first, then the mesh-wide value', async () => {
    const workspace = path.join(dir, 'workspace');
    fs.mkdirSync(path.join(workspace, 'istio'), { recursive: true });
    // Shapes as istio.io's DestinationRule reference and IstioOperator docs write them.
    fs.writeFileSync(path.join(workspace, 'istio', 'cc-api.yaml'), 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: cc-api\n  namespace: payments\nspec:\n  host: cc-api-xxx-xxx.xxx.io\n  trafficPolicy:\n    connectionPool:\n      tcp:\n        connectTimeout: 1s\n');
    fs.writeFileSync(path.join(workspace, 'istio', 'operator.yaml'), 'apiVersion: install.istio.io/v1alpha1\nkind: IstioOperator\nmetadata:\n  name: mesh\n  namespace: istio-system\nspec:\n  meshConfig:\n    connectTimeout: 1s\n');
    fs.writeFileSync(path.join(workspace, 'istio', 'other.yaml'), 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: other\nspec:\n  host: other.example.com\n  trafficPolicy:\n    connectionPool:\n      tcp:\n        connectTimeout: 2s\n');
    const { code, stdout } = await run(['--format', 'json', '--workspace', workspace, ...incidentArgs]);
    assert.equal(code, 0);
    const fix = (JSON.parse(stdout) as { resets: { fix: { setting: string; manifest: { file: string; startLine: number; resource: string; value: string }[] } }[] }).resets[0]!.fix;
    assert.match(fix.setting, /connectTimeout/);
    assert.deepEqual(fix.manifest.map((m) => [m.file, m.startLine, m.resource, m.value]), [
      [path.join('istio', 'cc-api.yaml'), 11, 'DestinationRule payments/cc-api', '1s'],
      [path.join('istio', 'operator.yaml'), 8, 'IstioOperator istio-system/mesh', '1s'],
    ]);
    const text = await run(['--workspace', workspace, ...incidentArgs]);
    assert.match(text.stdout, /set in the workspace: istio\/cc-api\.yaml:11 {2}DestinationRule payments\/cc-api {2}spec\.trafficPolicy\.connectionPool\.tcp\.connectTimeout = 1s; istio\/operator\.yaml:8/);
    const without = JSON.parse((await run(['--format', 'json', ...incidentArgs])).stdout) as { resets: { fix: Record<string, unknown> }[] };
    assert.equal('manifest' in without.resets[0]!.fix, false, 'no workspace walk unless asked');
  });

  it('prints one text block per reset with the verdict and the matched lines', async () => {
    const { code, stdout } = await run(incidentArgs);
    assert.equal(code, 0);
    assert.match(stdout, /app-error\.txt:1 {2}2020-05-29T22:04:06\.067Z {2}reset\n {2}java\.net\.SocketException: Connection reset\n {2}connect-timeout \(confidence 0\.\d\d\): Envoy's connect timeout \(1 s\)/);
    assert.match(stdout, /envoy-debug\.log:12 {2}connect-timeout {2}\[Envoy \(Epoch 0\)\]/);
    assert.match(stdout, /1 finding\(s\), 1 explained/);
  });

  it('shows control characters from the logs instead of sending them to the terminal', async () => {
    const file = path.join(dir, 'hostile.log');
    fs.writeFileSync(file, '2024-03-01 10:00:01.010 ERROR x - java.net.SocketException: Connection reset \u001b[2J\u001b]0;pwned\u0007\n');
    const { code, stdout } = await run([file]);
    assert.equal(code, 0);
    assert.ok(!stdout.includes('\u001b') && !stdout.includes('\u0007'));
    assert.match(stdout, /\\x1B\[2J\\x1B\]0;pwned\\x07/);
  });

  it('prints its usage for --help', async () => {
    const { code, stdout } = await run(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /^mesh-doctor correlate \[--format text\|json\]/);
  });

  it('takes --window and --connect-timeout', async () => {
    const file = path.join(dir, 'access.log');
    fs.writeFileSync(file, '[2024-03-01T10:00:00.000Z] "- - -" 0 UF,URX - - "-" 0 0 1000 - "-" "-" "-" "-" "10.0.0.2:443" outbound|443||idp - 10.0.0.2:443 10.0.0.1:1 - -\n2024-03-01 10:00:03.000 ERROR x - java.net.SocketException: Connection reset\n');
    const narrow = JSON.parse((await run(['--format', 'json', '--window', '1', file])).stdout) as { resets: { cause: string }[] };
    assert.equal(narrow.resets[0]!.cause, 'unexplained');
    // An unrelated failure 2 s earlier explains nothing; one 2 ms before the reset does.
    const close = path.join(dir, 'access-close.log');
    fs.writeFileSync(close, '[2024-03-01T10:00:00.000Z] "- - -" 0 UF,URX - - "-" 0 0 1000 - "-" "-" "-" "-" "10.0.0.2:443" outbound|443||idp - 10.0.0.2:443 10.0.0.1:1 - -\n2024-03-01 10:00:01.002 ERROR x - java.net.SocketException: Connection reset\n');
    const known = JSON.parse((await run(['--format', 'json', '--connect-timeout', 'outbound|443||idp=1', close])).stdout) as { resets: { cause: string }[] };
    assert.equal(known.resets[0]!.cause, 'connect-timeout');
  });

  it('exits 2 with a clear message on bad usage or unreadable files', async () => {
    const cases: [string[], RegExp][] = [
      [[], /give at least one log file/],
      [['--format', 'xml', 'f'], /--format xml: expected text or json/],
      [['--window', '0', 'f'], /--window 0: expected a number of seconds above 0, at most 3600/],
      [['--window', '1e9', 'f'], /--window 1e9: expected a number of seconds above 0, at most 3600/],
      [['--clock-offset', '1e15', 'f'], /--clock-offset 1e15: expected a number of seconds from -604800 to 604800/],
      [['--connect-timeout', 'c=Infinity', 'f'], /--connect-timeout c=Infinity: expected CLUSTER=SECONDS with a number of seconds above 0, at most 86400/],
      [['--clock-offset', 'soon', 'f'], /--clock-offset soon: expected a number of seconds/],
      [['--connect-timeout', 'nocluster', 'f'], /expected CLUSTER=SECONDS/],
      [['--bogus', 'f'], /bogus/],
      [[path.join(dir, 'missing.log')], /cannot read .*missing\.log: ENOENT/],
      [[dir], /is a directory/],
    ];
    for (const [argv, message] of cases) {
      const { code, stderr, stdout } = await run(argv);
      assert.equal(code, 2, argv.join(' '));
      assert.match(stderr, message);
      assert.equal(stdout, '');
    }
  });

  it('runs as `node out/src/cli.js correlate` in its own process', () => {
    // Tests run from out/, so the compiled CLI is always beside them: no skipping.
    const cli = path.join(REPO_ROOT, 'out', 'src', 'cli.js');
    return new Promise<void>((resolve, reject) => {
      execFile(process.execPath, [cli, 'correlate', '--format', 'json', ...incidentArgs], (error, stdout) => {
        try {
          assert.equal(error, null);
          const json = JSON.parse(stdout) as { resets: { cause: string }[] };
          assert.equal(json.resets[0]!.cause, 'connect-timeout');
          resolve();
        } catch (e) {
          reject(e);
        }
      });
    });
  });
});
