import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { UsageError } from '../../../src/cli/args';
import { clusterAccessSettings, readClusterFlags } from '../../../src/cli/clusterFlags';
import { run as runLogLevel } from '../../../src/cli/logLevel';
import { run as runVerify } from '../../../src/cli/verify';

describe('CLI cluster flags', () => {
  it('reads every cluster command\'s flags the same way, resolving --kubeconfig against the working directory', () => {
    const flags = readClusterFlags({ context: 'prod', kubeconfig: 'kube/config', timeout: '7', transport: 'kubectl', kubectl: '/opt/kubectl' });
    assert.deepEqual(flags, { context: 'prod', kubeconfig: 'kube/config', transport: 'kubectl', kubectl: '/opt/kubectl', requestTimeoutSeconds: 7 });
    assert.deepEqual(clusterAccessSettings(flags, '/work'), { kubeconfig: path.resolve('/work', 'kube/config'), transport: 'kubectl', kubectlPath: '/opt/kubectl', requestTimeoutSeconds: 7 });
    assert.equal(clusterAccessSettings(readClusterFlags({}), '/work').kubeconfig, '', 'no flag: KUBECONFIG or ~/.kube/config decide');
  });

  it('refuses a bad --transport or --timeout as a usage error, in log-level as in clusters', async () => {
    assert.throws(() => readClusterFlags({ transport: 'ssh' }), (e: unknown) => e instanceof UsageError && /--transport "ssh": expected one of api, kubectl/.test(e.message));
    assert.throws(() => readClusterFlags({ timeout: 'soon' }), UsageError);
    let err = '';
    const io = { cwd: process.cwd(), stdout: () => undefined, stderr: (t: string) => void (err += t) };
    assert.equal(await runLogLevel(['--pod', 'shop/x', '--transport', 'ssh'], io), 2);
    assert.match(err, /--transport "ssh": expected one of api, kubectl/);
  });

  it('names the request timeout by its own flag where --timeout means something else (verify)', async () => {
    let err = '';
    const io = { cwd: process.cwd(), stdout: () => undefined, stderr: (t: string) => void (err += t) };
    const args = ['--pod', 'shop/x', '--cluster', 'outbound|443||idp.example.com'];
    assert.equal(await runVerify([...args, '--request-timeout', 'soon'], io), 2);
    assert.match(err, /--request-timeout "soon": expected seconds/);
    err = '';
    assert.equal(await runVerify([...args, '--transport', 'ssh'], io), 2);
    assert.match(err, /--transport "ssh": expected one of api, kubectl/);
  });
});
