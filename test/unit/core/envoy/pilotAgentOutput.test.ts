import * as assert from 'node:assert/strict';
import { readPilotAgentAnswer } from '../../../../src/core/envoy/pilotAgentOutput';

// pilot/pkg/request/command.go: `if resp.StatusCode > 399 && resp.StatusCode != 404 { return error }`, then
// fmt.Println(body); pilot-agent's main exits os.Exit(-1) (255) on an error, which Istio's logger writes to stdout.
describe('pilot-agent request answers', () => {
  it('a 200 is the body without Println\'s newline', () => {
    assert.deepEqual(readPilotAgentAnswer(0, '{"a":1}\n\n', ''), { ok: true, body: '{"a":1}\n' });
  });

  it('a 404 arrives with exit 0 and Envoy\'s page, and is not found, not a body', () => {
    assert.deepEqual(readPilotAgentAnswer(0, 'invalid path. admin commands are:\n  /clusters: upstream cluster status\n\n', ''), {
      ok: false,
      status: 404,
      body: 'invalid path. admin commands are:\n  /clusters: upstream cluster status\n',
    });
    assert.equal((readPilotAgentAnswer(0, 'usage: /logging?<name>=<level> (change single level)\n', '') as { status: number }).status, 404);
  });

  it('another error status exits 255 with the error logged on stdout', () => {
    const stdout = '2026-11-26T15:52:33.000000Z\terror\treceived unsuccessful status code 400: error: unknown logger name\n\nusage: /logging?<name>=<level>\n';
    const answer = readPilotAgentAnswer(255, stdout, '');
    assert.equal(answer.ok, false);
    assert.equal((answer as { status: number }).status, 400);
    assert.match((answer as { body: string }).body, /^error: unknown logger name/);
  });

  it('a failure without an Envoy status (Envoy down) keeps pilot-agent\'s words and no status', () => {
    const answer = readPilotAgentAnswer(255, '2026-11-26T15:52:33.000000Z\terror\tGet "http://localhost:15000/x": dial tcp 127.0.0.1:15000: connect: connection refused\n', '');
    assert.deepEqual(answer, { ok: false, status: null, body: 'Get "http://localhost:15000/x": dial tcp 127.0.0.1:15000: connect: connection refused' });
  });
});
