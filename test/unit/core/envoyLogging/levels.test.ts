import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedDir } from '../../../host/paths';
import { EnvoyLoggingParseError, envoyLoggingRefusal, formatLoggerLevels, parseEnvoyLoggingListing, toEnvoyLogLevel } from '../../../../src/core/envoyLogging/levels';
import { injectorDefaultChange } from '../../../../src/core/envoyLogging/injectorLevel';
import { loggingRequests, parseLoggersSpec, presetChange, unknownLoggers } from '../../../../src/core/envoyLogging/change';
import { changeApplied, planRestore, restoreMismatches } from '../../../../src/core/envoyLogging/restorePlan';

const listing = fs.readFileSync(path.join(sharedDir, 'fixtures/real/istio/istioctl-envoy-logging.txt'), 'utf8');

describe('Envoy /logging listing', () => {
  it('parses the real istioctl fixture: 40 loggers, all at warning', () => {
    const levels = parseEnvoyLoggingListing(listing);
    assert.equal(Object.keys(levels).length, 40);
    assert.equal(levels.connection, 'warning');
    assert.equal(levels.wasm, 'warning');
    assert.ok(Object.values(levels).every((l) => l === 'warning'));
  });

  it('round-trips through the text rendering', () => {
    const levels = { ...parseEnvoyLoggingListing(listing), pool: 'debug' as const };
    assert.deepEqual(parseEnvoyLoggingListing(formatLoggerLevels(levels)), levels);
  });

  it('accepts Envoy alias warn and CRLF line ends', () => {
    assert.deepEqual(parseEnvoyLoggingListing('active loggers:\r\n  http: warn\r\n  pool: trace\r\n'), { http: 'warning', pool: 'trace' });
  });

  it('rejects an error page with the offending line, instead of an empty level set', () => {
    assert.throws(() => parseEnvoyLoggingListing('<html>404 Not Found</html>'), (e: Error) => e instanceof EnvoyLoggingParseError && /does not start with "active loggers:"/.test(e.message) && /404/.test(e.message));
    assert.throws(() => parseEnvoyLoggingListing(''), EnvoyLoggingParseError);
    assert.throws(() => parseEnvoyLoggingListing('active loggers:\n  http: loud\n'), /Unexpected line 2/);
  });

  it('knows the seven levels and nothing else', () => {
    assert.equal(toEnvoyLogLevel('CRITICAL'), 'critical');
    assert.equal(toEnvoyLogLevel('verbose'), undefined);
  });
});

describe('logging changes', () => {
  it('connection preset sets the seven connection loggers, one request each', () => {
    assert.deepEqual(loggingRequests(presetChange('connection')), [
      '/logging?conn_handler=debug',
      '/logging?connection=debug',
      '/logging?filter=debug',
      '/logging?http=debug',
      '/logging?pool=debug',
      '/logging?router=debug',
      '/logging?upstream=debug',
    ]);
  });

  it('everything preset is one ?level= request', () => {
    assert.deepEqual(loggingRequests(presetChange('everything')), ['/logging?level=debug']);
  });

  it('refuses logger names that would inject query parameters', () => {
    assert.throws(() => loggingRequests({ kind: 'loggers', levels: { 'a&level': 'debug' } }), /Not an Envoy logger name/);
  });

  it('parses --loggers and explains a bad item', () => {
    assert.deepEqual(parseLoggersSpec('pool:debug, http:trace', toEnvoyLogLevel), { kind: 'loggers', levels: { pool: 'debug', http: 'trace' } });
    assert.throws(() => parseLoggersSpec('pool', toEnvoyLogLevel), /Bad logger item "pool"/);
    assert.throws(() => parseLoggersSpec('pool:loud', toEnvoyLogLevel), /Bad logger item "pool:loud"/);
  });

  it('reports loggers the pod does not have', () => {
    const levels = parseEnvoyLoggingListing(listing);
    assert.deepEqual(unknownLoggers(presetChange('connection'), levels), ['conn_handler']);
  });
});

describe('restore plan', () => {
  const saved = parseEnvoyLoggingListing(listing);

  it('is one ?level= request when every saved logger had one level', () => {
    const raised = { ...saved, pool: 'debug' as const, http: 'debug' as const };
    assert.deepEqual(planRestore(saved, raised), ['/logging?level=warning']);
  });

  it('is nothing when the pod is already at the saved levels', () => {
    assert.deepEqual(planRestore(saved, saved), []);
  });

  it('restores mixed levels exactly, per logger, touching only what differs', () => {
    const mixed = { ...saved, misc: 'error' as const, lua: 'info' as const };
    const current = { ...saved, misc: 'debug' as const, lua: 'info' as const, pool: 'debug' as const };
    assert.deepEqual(planRestore(mixed, current), ['/logging?misc=error', '/logging?pool=warning']);
  });

  it('does not flatten loggers the pod gained since (a newer Envoy after restart)', () => {
    const current = { ...saved, pool: 'debug' as const, newthing: 'info' as const };
    assert.deepEqual(planRestore(saved, current), ['/logging?pool=warning']);
  });

  // A sidecar as injected starts at warning with misc at error (--proxyComponentLogLevel=misc:error).
  it('restores a sidecar\'s injected levels after the everything preset in two requests: ?level= for the majority, then misc', () => {
    const injected = { ...saved, misc: 'error' as const };
    const everything = Object.fromEntries(Object.keys(saved).map((k) => [k, 'debug' as const]));
    assert.deepEqual(planRestore(injected, everything), ['/logging?level=warning', '/logging?misc=error']);
    assert.deepEqual(planRestore(injected, { ...injected, pool: 'debug' }), ['/logging?pool=warning'], 'one logger changed: one request');
    assert.deepEqual(planRestore(injected, { ...everything, newthing: 'debug' }).length, Object.keys(saved).length, '?level= would change a logger the pod gained');
  });

  it('restores to the injector\'s levels, --proxyComponentLogLevel included, when nothing was saved', () => {
    const pod = { spec: { containers: [{ name: 'istio-proxy', args: ['proxy', 'sidecar', '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error'] }] } };
    const fallback = injectorDefaultChange(pod);
    assert.deepEqual(fallback.change, [{ kind: 'all', level: 'warning' }, { kind: 'loggers', levels: { misc: 'error' } }]);
    assert.match(fallback.source, /--proxyComponentLogLevel=misc:error/);
    const annotated = injectorDefaultChange({ ...pod, metadata: { annotations: { 'sidecar.istio.io/componentLogLevel': 'misc:info,pool:debug' } } });
    assert.deepEqual(annotated.change[1], { kind: 'loggers', levels: { misc: 'info', pool: 'debug' } });
  });

  // source/server/admin/logs_handler.cc: 1.27+ answers 400 "error: <reason>"; older releases 404 with the usage text.
  it('names Envoy\'s /logging refusal in both forms instead of calling it an unexpected listing', () => {
    assert.equal(envoyLoggingRefusal('error: unknown logger name\n\nusage: /logging?<name>=<level> (change single level)\n'), 'unknown logger name');
    assert.equal(envoyLoggingRefusal('Envoy admin POST /logging?a=b answered 400: error: invalid number of parameters\n'), 'invalid number of parameters');
    assert.match(envoyLoggingRefusal('usage: /logging?<name>=<level> (change single level)\nactive loggers:\n  admin: warning\n') ?? '', /1\.26 or older/);
    assert.equal(envoyLoggingRefusal(listing), null);
    assert.throws(() => parseEnvoyLoggingListing('usage: /logging?<name>=<level> (change single level)\n'), /Envoy refused the \/logging request/);
  });

  it('checks a read-back against the saved and the requested levels', () => {
    assert.deepEqual(restoreMismatches(saved, { ...saved, http: 'debug' }), ['http']);
    assert.equal(changeApplied(presetChange('connection'), { ...saved, pool: 'debug' }), false);
    assert.equal(changeApplied({ kind: 'all', level: 'debug' }, Object.fromEntries(Object.keys(saved).map((k) => [k, 'debug' as const]))), true);
  });
});
