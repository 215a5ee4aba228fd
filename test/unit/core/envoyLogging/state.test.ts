import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { invalidContextPatterns, matchingProtectedPattern } from '../../../../src/core/envoyLogging/protectedContexts';
import { addRaised, removeRaised } from '../../../../src/core/envoyLogging/raisedState';
import { defaultStateFile, readStateFile, updateStateFile } from '../../../../src/files/stateFile';
import { type RaisedPod, raisedPodKey } from '../../../../src/core/envoyLogging/raisedState';
import { escapeLogText } from '../../../../src/core/envoyLogging/tailFormat';

const record = (name: string, level: 'warning' | 'debug'): RaisedPod => ({
  pod: { context: 'c', namespace: 'shop', name },
  uid: `uid-${name}`,
  saved: { pool: level },
  raisedAt: 1,
  revertAt: null,
  description: 'test',
});

describe('protected contexts', () => {
  it('matches the default *prod* glob anywhere in the name, case-insensitively', () => {
    for (const c of ['prod', 'eu-prod-1', 'Production', 'gke_acme_europe_prod']) assert.equal(matchingProtectedPattern(c, ['*prod*']), '*prod*', c);
    for (const c of ['staging', 'kind-dev', 'pr0d']) assert.equal(matchingProtectedPattern(c, ['*prod*']), undefined, c);
  });

  it('treats other glob characters literally and accepts /regex/flags', () => {
    assert.equal(matchingProtectedPattern('a.b', ['a?b']), 'a?b');
    assert.equal(matchingProtectedPattern('axb', ['a.b']), undefined);
    assert.equal(matchingProtectedPattern('arn:aws:eks:eu-west-1:1:cluster/live', ['/cluster\\/live$/']), '/cluster\\/live$/');
    assert.equal(matchingProtectedPattern('LIVE', ['/^live$/i']), '/^live$/i');
  });

  it('reports an invalid regex instead of matching everything or throwing', () => {
    assert.deepEqual(invalidContextPatterns(['*prod*', '/([/']).map((i) => i.pattern), ['/([/']);
    assert.equal(matchingProtectedPattern('prod', ['/([/']), undefined);
  });
});

describe('CLI state file', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-state-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lives under $XDG_CACHE_HOME, else ~/.cache', () => {
    assert.equal(defaultStateFile({ XDG_CACHE_HOME: '/x' }), path.join('/x', 'mesh-doctor', 'log-levels.json'));
    assert.equal(defaultStateFile({}), path.join(os.homedir(), '.cache', 'mesh-doctor', 'log-levels.json'));
  });

  it('keeps the levels of the first raise when a pod is raised again', () => {
    const first = addRaised([], record('a', 'warning')).pods;
    const again = addRaised(first, record('a', 'debug'));
    assert.equal(again.pods.length, 1);
    assert.deepEqual(again.result.saved, { pool: 'warning' });
    assert.equal(removeRaised(again.pods, raisedPodKey(record('a', 'debug').pod, 'uid-a')).pods.length, 0);
  });

  it('serialises concurrent updates so no record is lost, and leaves no temporary files', async () => {
    const file = path.join(dir, 'mesh-doctor', 'log-levels.json');
    await Promise.all(Array.from({ length: 20 }, (_, i) => updateStateFile(file, (pods) => addRaised(pods, record(`p${i}`, 'warning')))));
    assert.equal(readStateFile(file).length, 20);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['log-levels.json']);
  });

  it('explains a corrupt file instead of treating it as empty', () => {
    const file = path.join(dir, 'log-levels.json');
    fs.writeFileSync(file, '{not json');
    assert.throws(() => readStateFile(file), /not valid JSON; delete the file/);
    fs.writeFileSync(file, JSON.stringify({ pods: [{ bogus: true }, record('ok', 'warning')] }));
    assert.deepEqual(readStateFile(file).map((p) => p.pod.name), ['ok']);
  });
});

describe('log text escaping', () => {
  it('makes terminal escapes, carriage returns and bidi overrides visible, keeps tabs', () => {
    assert.equal(escapeLogText('a\x1b[31mred\rb\u202ec\td'), 'a\\x1B[31mred\\x0Db\\u202Ec\td');
  });
});
