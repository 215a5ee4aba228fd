import * as assert from 'node:assert/strict';
import { DEFAULT_CONNECT_TIMEOUT_MINIMUM, parseConnectTimeoutMinimum } from '../../../src/core/connectTimeoutMinimum';

// The editor's setting and the CLI's --minimum share this rule; both used to disagree on 0s.
describe('parseConnectTimeoutMinimum', () => {
  it('reads positive Go durations as seconds, keeping the text as written', () => {
    assert.deepEqual(parseConnectTimeoutMinimum('1m30s'), { ok: true, minimum: { seconds: 90, text: '1m30s' } });
    assert.deepEqual(parseConnectTimeoutMinimum('500ms'), { ok: true, minimum: { seconds: 0.5, text: '500ms' } });
    assert.deepEqual(DEFAULT_CONNECT_TIMEOUT_MINIMUM, { seconds: 10, text: '10s' });
  });

  it('refuses zero, negative, non-string and malformed thresholds with the reason', () => {
    for (const raw of ['0s', '0', '-1s']) assert.match((parseConnectTimeoutMinimum(raw) as { reason: string }).reason, /more than 0s/, raw);
    assert.match((parseConnectTimeoutMinimum(10) as { reason: string }).reason, /string/);
    assert.match((parseConnectTimeoutMinimum('ten seconds') as { reason: string }).reason, /duration/);
  });
});
