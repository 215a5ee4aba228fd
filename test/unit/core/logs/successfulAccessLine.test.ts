import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SuccessfulAccessReader } from '../../../../src/core/logs/successfulAccessLine';
import { unframeLine } from '../../../../src/core/logs/framing';
import { parseEnvoyEvent } from '../../../../src/core/logs/envoyEvent';
import { addressKey } from '../../../../src/core/logs/addressKey';
import { SeededRandom } from '../../../corpus/random';
import { generateCorpus } from '../../../corpus/generator';
import { sharedFixture } from '../correlate/fixtures';

/**
 * The byte reader must give a line exactly the meaning the full parsers give it, or leave it to
 * them. Held to that here on every line of the real logs in the repository and in ../shared
 * (incident logs, Kiali's waypoint log, the realistic corpus's logs from public issue threads: see
 * their MANIFEST.md files), on the generated corpus's layouts, and on those lines made hostile.
 */

const REPO = path.resolve(__dirname, '../../../../..');

function logFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && /\.(log|txt)$/.test(e.name)).map((e) => path.join(e.parentPath, e.name));
}

const realLines = [...logFiles(sharedFixture()), ...logFiles(path.join(REPO, 'test/fixtures'))].flatMap((f) => fs.readFileSync(f, 'utf8').split('\n'));
const generatedLines = generateCorpus(7, 12, 6).flatMap((c) => c.files.flatMap((f) => f.text.split('\n')));

/**
 * What the reader leaves to the full parsers: lines behind a collector's time (kubectl
 * `--timestamps`, CRI: whether that time is the collector's depends on earlier lines), JSON and
 * Docker's JSON lines.
 */
const OTHER_LAYOUT = /^(?:\d|\{|\[pod\/[^\]]*\] [\d{])/;

interface Meaning {
  endMs: number;
  address: number | string | null;
  pod: string | null;
}

/** What the full parsers make of a line, when they make a successful access-log line of it. */
function fullMeaning(raw: string): Meaning | null {
  const framed = unframeLine(raw);
  const event = parseEnvoyEvent(framed.body);
  if (event === null || event === 'ignored' || event.kind !== 'access-log' || event.cause !== null || event.flags.length > 0) return null;
  return { endMs: event.endMs, address: event.downstreamRemote === null ? null : addressKey(event.downstreamRemote), pod: framed.pod };
}

/** What the reader makes of a line: null when it leaves the line to the full parsers. */
function readerMeaning(reader: SuccessfulAccessReader, raw: string): Meaning | null {
  // Inside a larger buffer, as the scanner passes it, so offsets other than 0 are exercised.
  const bytes = Buffer.from(`x\n${raw}\ny`, 'utf8');
  if (!reader.read(bytes, 2, bytes.length - 2)) return null;
  return { endMs: reader.endMs, address: reader.address, pod: reader.pod };
}

function assertAgrees(reader: SuccessfulAccessReader, raw: string): 'read' | 'left' {
  const mine = readerMeaning(reader, raw);
  if (mine === null) return 'left';
  const full = fullMeaning(raw);
  assert.ok(full, `the reader took a line the full parsers do not read as a successful access-log line: ${JSON.stringify(raw)}`);
  assert.ok(Math.abs(full.endMs - mine.endMs) < 1e-6, `end ${mine.endMs} ≠ ${full.endMs}: ${JSON.stringify(raw)}`);
  assert.equal(mine.address, full.address, JSON.stringify(raw));
  assert.equal(mine.pod, full.pod, JSON.stringify(raw));
  return 'read';
}

describe('successful access-log lines read from bytes', () => {
  it('agrees with the full parsers on every real line it takes, and takes every real success of the layouts it reads', () => {
    assert.ok(realLines.length > 1000, `${realLines.length} real lines found`);
    const reader = new SuccessfulAccessReader();
    let read = 0;
    let successes = 0;
    for (const raw of realLines) {
      const mine = assertAgrees(reader, raw);
      if (fullMeaning(raw) === null) continue;
      successes++;
      if (mine === 'read') read++;
      else assert.ok(OTHER_LAYOUT.test(raw), `left a line of a layout it reads: ${raw}`);
    }
    assert.ok(successes > 30 && read > 10, `read ${read} of ${successes}`);
  });

  it('takes every successful line of the generated layouts, text and TCP, bare and prefixed', () => {
    const reader = new SuccessfulAccessReader();
    let read = 0;
    let successes = 0;
    for (const raw of generatedLines) {
      const full = fullMeaning(raw);
      const mine = assertAgrees(reader, raw);
      if (full === null) continue;
      successes++;
      if (mine === 'read') read++;
      else assert.ok(OTHER_LAYOUT.test(raw), `left a line of a layout it reads: ${raw}`);
    }
    assert.ok(successes > 100 && read > successes / 3, `read ${read} of ${successes}`);
  });

  it('gives up on, or still agrees for, lines with hostile bytes anywhere', () => {
    const reader = new SuccessfulAccessReader();
    const rng = new SeededRandom(4242);
    const seeds = [...realLines, ...generatedLines].filter((raw) => readerMeaning(reader, raw) !== null);
    assert.ok(seeds.length > 50);
    const hostile = ['\r', '\u001b[31m', '\u2028', '\u00a0', '"', '\t', ' ', '-', ']', '[pod/', 'é', '\u0000', '9', 'BlackHoleCluster', 'Z] "'];
    let checked = 0;
    for (let i = 0; i < 20_000; i++) {
      const raw = rng.pick(seeds);
      const at = Math.floor(rng.next() * (raw.length + 1));
      const cut = rng.next() < 0.3 ? 1 : 0;
      const mutated = raw.slice(0, at) + rng.pick(hostile) + raw.slice(at + cut);
      assertAgrees(reader, mutated);
      checked++;
    }
    assert.equal(checked, 20_000);
  });

  it('leaves failures, details and clusters that carry a cause to the full parsers', () => {
    const reader = new SuccessfulAccessReader();
    const ok = '[2024-05-01T10:00:00.000Z] "GET / HTTP/1.1" 200 - via_upstream - "-" 0 1 2 3 "-" "curl" "id" "orders" "10.0.0.9:80" outbound|80||orders 10.0.0.1:1 10.96.0.1:80 10.0.0.1:40000 - default';
    assert.ok(readerMeaning(reader, ok));
    assert.equal(readerMeaning(reader, ok)!.endMs, Date.parse('2024-05-01T10:00:00.002Z'));
    for (const raw of [
      ok.replace('200 - via_upstream', '503 UF upstream_reset_before_response_started{connection_failure}'),
      ok.replace('200 - via_upstream', '503 - upstream_reset_before_response_started{remote_reset}'),
      ok.replace('200 - via_upstream', '502 - direct_response'),
      ok.replace('200 - via_upstream', '0 - filter_chain_not_found'),
      ok.replace('outbound|80||orders', 'BlackHoleCluster'),
      ok.replace('10.0.0.1:40000', '[fd00::1]:40000'),
      ok.replace('[2024-05-01T10:00:00.000Z]', '[2024-02-30T10:00:00.000Z]'),
      `2024-05-01T10:00:00.123456789Z ${ok}`,
      `2024-05-01T10:00:00.000Z stdout F ${ok}`,
    ]) {
      assert.equal(readerMeaning(reader, raw), null, raw);
      assertAgrees(reader, raw);
    }
  });

  it('reads the pod of a `kubectl logs --prefix` line and a line ending in a carriage return', () => {
    const reader = new SuccessfulAccessReader();
    const line = '[pod/checkout-5d8f-x1/istio-proxy] [2020-05-29T22:00:00.029Z] "- - -" 0 - - - "-" 0 0 27 - "-" "-" "-" "-" "10.44.3.9:8080" outbound|8080||orders.shop.svc.cluster.local - 10.44.3.9:8080 10.44.0.13:19943 - -\r';
    assert.deepEqual(readerMeaning(reader, line), { endMs: Date.parse('2020-05-29T22:00:00.056Z'), address: addressKey('10.44.0.13:19943'), pod: 'checkout-5d8f-x1' });
    assertAgrees(reader, line);
  });
});
