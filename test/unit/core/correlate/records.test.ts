import * as assert from 'node:assert/strict';
import { correlate, correlateText } from '../../../../src/core/correlate/index';

/**
 * Application records as their layouts write them: one record gives one finding at its first line,
 * with the record's own time (else the collector's), through the text and the byte paths alike.
 */

const OPTIONS = { windowSeconds: 5 };

function findings(text: string): { line: number; time: string | null; kind: string }[] {
  return correlateText([{ file: 'app.log', text }], OPTIONS).resets.map((r) => ({ line: r.line, time: r.time, kind: r.kind }));
}

async function byteFindings(text: string): Promise<{ line: number; time: string | null; kind: string }[]> {
  const bytes = Buffer.from(text);
  const chunks = (async function* () {
    for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
  })();
  return (await correlate([{ file: 'app.log', chunks }], OPTIONS)).resets.map((r) => ({ line: r.line, time: r.time, kind: r.kind }));
}

const LAYOUTS: [string, string[], { line: number; time: string | null; kind: string }[]][] = [
  [
    'java.util.logging two-line records (second resolution)',
    ['Jul 25, 2019 9:46:01 PM com.example.LdapPool borrow', 'INFO: opening LDAP connection', 'Jul 25, 2019 9:46:09 PM com.example.LdapPool borrow', 'SEVERE: LDAP connection failed', 'javax.naming.CommunicationException: ldap:389 [Root exception is java.net.SocketException: Connection reset]', '\tat com.sun.jndi.ldap.Connection.<init>(Connection.java:238)', 'Caused by: java.net.SocketException: Connection reset'],
    [{ line: 3, time: '2019-07-25T21:46:09.000Z', kind: 'reset' }],
  ],
  [
    'Python logging default format, a chained traceback under kubectl --timestamps',
    [
      '2022-07-03T06:20:43.576418926Z ERROR:scoring.client:CreateInferences failed',
      '2022-07-03T06:20:43.576418926Z Traceback (most recent call last):',
      '2022-07-03T06:20:43.576418926Z grpc._channel._InactiveRpcError: <_InactiveRpcError of RPC that terminated with:',
      '2022-07-03T06:20:43.576418926Z 	details = "upstream connect error or disconnect/reset before headers. reset reason: connection failure"',
      '2022-07-03T06:20:43.576418926Z ',
      '2022-07-03T06:20:43.576418926Z During handling of the above exception, another exception occurred:',
      '2022-07-03T06:20:43.576418926Z Traceback (most recent call last):',
      '2022-07-03T06:20:43.576418926Z scoring.errors.ScoringUnavailable: upstream connect error or disconnect/reset before headers. reset reason: connection failure',
    ],
    [{ line: 1, time: '2022-07-03T06:20:43.576Z', kind: 'http-error' }],
  ],
  [
    'a Node crash dump: its location line starts the record',
    ['2022-04-29T10:02:31.405000000Z /app/node_modules/@grpc/grpc-js/build/src/call.js:31', '2022-04-29T10:02:31.405000000Z     return Object.assign(new Error(message), status);', '2022-04-29T10:02:31.405000000Z ', '2022-04-29T10:02:31.405000000Z Error: 14 UNAVAILABLE: upstream connect error or disconnect/reset before headers. reset reason: remote reset', '2022-04-29T10:02:31.405000000Z for call at', "2022-04-29T10:02:31.405000000Z   details: 'upstream connect error or disconnect/reset before headers. reset reason: remote reset',", '2022-04-29T10:02:31.405000000Z }'],
    [{ line: 1, time: '2022-04-29T10:02:31.405Z', kind: 'http-error' }],
  ],
  [
    '.NET console logger records, stern prefix',
    ['ship-7b6c5d4-n2m1 app 2025-01-20T07:55:42.411800600Z fail: Shipping.Worker.LabelPrinter[0]', 'ship-7b6c5d4-n2m1 app 2025-01-20T07:55:42.411800600Z       Label request failed', 'ship-7b6c5d4-n2m1 app 2025-01-20T07:55:42.411800600Z        ---> System.Net.Sockets.SocketException (104): Connection reset by peer'],
    [{ line: 1, time: '2025-01-20T07:55:42.411Z', kind: 'reset' }],
  ],
  [
    'Spring Boot 3 (two spaces before WARN) then a bare status line of another record',
    ['2024-04-22T16:30:11.842Z  WARN 1 --- [shop] [nio-3] c.e.Stock : stock lookup failed: java.net.SocketException: Connection reset', '2024-04-22T16:30:12.842Z  INFO 1 --- [shop] [nio-3] c.e.Stock : retrying'],
    [{ line: 1, time: '2024-04-22T16:30:11.842Z', kind: 'reset' }],
  ],
  [
    'a CRI partial line joined with the line that completes it',
    ['2024-11-19T21:07:12.008300100Z stdout P 2024-11-19 21:07:12,008 - geo - ERROR - geocode failed: 503 Server Error for url: http://geo:8080/v2/geocode?q', '2024-11-19T21:07:12.008300101Z stdout F =berlin (body: upstream connect error or disconnect/reset before headers. reset reason: connection timeout)'],
    [{ line: 1, time: '2024-11-19T21:07:12.008Z', kind: 'http-error' }],
  ],
  [
    'a logback time-of-day record framed by Docker: the date is Docker’s',
    ['{"log":"14:35:50.471 [scheduling-1] ERROR c.e.Feed - feed poll failed\\n","stream":"stdout","time":"2021-06-04T14:35:50.471500500Z"}', '{"log":"java.net.SocketException: Connection reset\\n","stream":"stdout","time":"2021-06-04T14:35:50.471500500Z"}'],
    [{ line: 1, time: '2021-06-04T14:35:50.471Z', kind: 'reset' }],
  ],
  [
    'pino JSON with a nested error',
    ['{"level":50,"time":1645166650203,"pid":18,"err":{"type":"FetchError","message":"request to http://web/ failed, reason: socket hang up"},"msg":"fetch failed"}'],
    [{ line: 1, time: '2022-02-18T06:44:10.203Z', kind: 'reset' }],
  ],
];

describe('application records by layout', () => {
  for (const [name, lines, expected] of LAYOUTS) {
    it(`${name}: one finding at the record's first line, through text and bytes`, async () => {
      const text = lines.join('\n');
      assert.deepEqual(findings(text), expected);
      assert.deepEqual(await byteFindings(text), expected);
    });
  }

  it('says why a record has no time', () => {
    const [r] = correlateText([{ file: 'app.log', text: 'java.net.SocketException: Connection reset' }], OPTIONS).resets;
    assert.equal(r!.time, null);
    assert.match(r!.explanation, /no time/);
  });
});
