import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedDir } from '../../host/paths';
import { EnvoyLoggingParseError, formatLoggerLevels, parseEnvoyLoggingListing, toEnvoyLogLevel } from '../../../src/core/envoyLogging/levels';
import { loggingRequests, parseLoggersSpec, presetChange, unknownLoggers } from '../../../src/core/envoyLogging/change';
import { changeApplied, planRestore, restoreMismatches } from '../../../src/core/envoyLogging/restorePlan';

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

  it('checks a read-back against the saved and the requested levels', () => {
    assert.deepEqual(restoreMismatches(saved, { ...saved, http: 'debug' }), ['http']);
    assert.equal(changeApplied(presetChange('connection'), { ...saved, pool: 'debug' }), false);
    assert.equal(changeApplied({ kind: 'all', level: 'debug' }, Object.fromEntries(Object.keys(saved).map((k) => [k, 'debug' as const]))), true);
  });
});
