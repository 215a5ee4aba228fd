import * as assert from 'node:assert/strict';
import { classifyEnvoyMessage, parseEnvoyEvent } from '../../../../src/core/logs/envoyEvent';

describe('classifyEnvoyMessage', () => {
  const cases: [string, string | null][] = [
    ['Creating connection to cluster outbound|443||idp.example.com', 'creating-connection'],
    ['connecting', 'connecting'],
    ['connecting to 52.1.2.3:443', 'connecting'],
    ['connection in progress', 'connection-in-progress'],
    ['connect timeout', 'connect-timeout'],
    ['delayed connect error: 111', 'connect-failure'],
    ['upstream connect error or disconnect/reset before headers. reset reason: connection failure', 'connect-failure'],
    ['remote close', 'closing'],
    ['local close', 'closing'],
    ['closing data_to_write=0 type=1', 'closing'],
    ['upstream reset: reset reason: connection termination', 'upstream-reset'],
    ['connected', null],
    ['creating a new connection', null],
    ['queueing request due to no available connections', null],
    ['new stream', null],
  ];
  for (const [message, kind] of cases) {
    it(`${JSON.stringify(message)} → ${kind ?? 'ignored'}`, () => {
      assert.equal(classifyEnvoyMessage(message)?.kind ?? null, kind);
    });
  }

  it('keeps the cluster, the upstream address and who closed', () => {
    assert.equal(classifyEnvoyMessage('Creating connection to cluster outbound|443||x')?.cluster, 'outbound|443||x');
    assert.equal(classifyEnvoyMessage('connecting to 10.0.0.2:443')?.address, '10.0.0.2:443');
    assert.equal(classifyEnvoyMessage('remote close')?.closedBy, 'remote');
  });
});

describe('parseEnvoyEvent', () => {
  it("tells Envoy lines it ignores ('ignored') from lines that are not Envoy's (null)", () => {
    assert.equal(parseEnvoyEvent('[2021-02-10 13:33:36.447][14][debug][router] [source/x.cc:1] [C1][S2] router decoding headers'), 'ignored');
    assert.equal(parseEnvoyEvent('2024-01-01 12:00:00.123 ERROR java.net.SocketException: Connection reset'), null);
  });

  it('gives access logs their end time (start + duration)', () => {
    const e = parseEnvoyEvent('[2020-05-29T22:04:05.066Z] "- - -" 0 UF,URX - - "-" 0 0 1000 - "-" "-" "-" "-" "1.2.3.4:443" outbound|443||x - 1.2.3.4:443 1.1.1.1:1 - -');
    assert.ok(e && e !== 'ignored');
    assert.equal(e.kind, 'access-log');
    assert.equal(e.endMs - e.timeMs, 1000);
  });
});
