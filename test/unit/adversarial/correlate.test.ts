/**
 * Hostile inputs for `mesh-doctor correlate`, each run through the real CLI in its own process
 * with a time and heap limit: no hang, bounded memory, a clear message, the exit code its --help
 * documents (0 done, 2 bad usage or unreadable input), never a crash stack.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI_PATH, runCliBounded, type BoundedOptions, type BoundedRun } from './bounded';

const RESET = 'ERROR c.e.App - java.net.SocketException: Connection reset';
const ACCESS_UF = (time: string, cluster: string): string =>
  `[${time}] "- - -" 0 UF,URX - - "-" 0 0 1000 - "-" "-" "-" "-" "10.0.0.2:443" ${cluster} - 10.0.0.2:443 10.0.0.1:1 - -`;

async function correlate(args: readonly string[], options: BoundedOptions = {}): Promise<BoundedRun> {
  const run = await runCliBounded(['correlate', ...args], options);
  assert.equal(run.timedOut, false, `timed out after ${run.elapsedMs} ms`);
  assert.doesNotMatch(run.stderr, /\n\s+at |heap out of memory|mesh-doctor: unexpected failure/, run.stderr);
  return run;
}

interface JsonOutput {
  resets: { file: string; line: number; time: string | null; cause: string; cluster: string | null; matches: { connectionId: string | null; text: string }[] }[];
  warnings: string[];
  error?: string;
}

describe('adversarial: mesh-doctor correlate', function () {
  this.timeout(180_000);
  let dir: string;
  const file = (name: string, content: string | Buffer): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-adv-correlate-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a 200 MB line without a newline in bounded memory', async () => {
    const p = path.join(dir, 'one-line.log');
    const block = Buffer.alloc(1 << 20, 'Connection reset [C1] ');
    const fd = fs.openSync(p, 'w');
    for (let i = 0; i < 200; i++) fs.writeSync(fd, block);
    fs.closeSync(fd);
    const run = await correlate([p], { maxHeapMb: 128, timeoutMs: 60_000 });
    assert.equal(run.code, 0);
    assert.match(run.stdout, /finding\(s\), .* 1 lines read/);
  });

  it('keeps going through NUL bytes, invalid UTF-8, binary junk and \\r-only line endings', async () => {
    const junk = Buffer.concat([
      Buffer.from(`2024-03-01 10:00:00.000 ${RESET}\u0000\u0000\n`),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0x0a, 0xf0, 0x9f, 0x98]),
      Buffer.from(`\r2024-03-01 10:00:01.000 ${RESET}\r2024-03-01 10:00:02.000 ${RESET}\r`),
    ]);
    const binary = Buffer.alloc(2 << 20);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 2654435761) >>> 24;
    const run = await correlate(['--format', 'json', file('junk.log', junk), file('binary.bin', binary)]);
    assert.equal(run.code, 0);
    const json = JSON.parse(run.stdout) as JsonOutput;
    assert.ok(json.resets.length >= 1 && json.resets.length <= 3, String(json.resets.length));
    assert.equal(json.resets[0]!.time, '2024-03-01T10:00:00.000Z');
  });

  it('handles a million resets with no Envoy line in a 256 MB heap, in linear time', async () => {
    const p = path.join(dir, 'million.log');
    const fd = fs.openSync(p, 'w');
    const start = Date.parse('2024-03-01T10:00:00Z');
    for (let block = 0; block < 100; block++) {
      const lines: string[] = [];
      for (let i = block * 10_000; i < (block + 1) * 10_000; i++) lines.push(`${new Date(start + i).toISOString()} ${RESET}\n`);
      fs.writeSync(fd, lines.join(''));
    }
    fs.closeSync(fd);
    const run = await correlate([p], { maxHeapMb: 256, timeoutMs: 150_000 });
    assert.equal(run.code, 0);
    assert.match(run.stderr, /No Envoy evidence in these logs/);
  });

  it('handles a million new Envoy connections within one second in a 256 MB heap, and says events were dropped', async () => {
    const p = path.join(dir, 'flood.log');
    const fd = fs.openSync(p, 'w');
    for (let block = 0; block < 100; block++) {
      const lines: string[] = [];
      for (let i = block * 10_000; i < (block + 1) * 10_000; i++) lines.push(`2024-03-01T10:00:00.000000Z\tdebug\tenvoy pool x.cc:1\t[C${i}] connecting to 10.0.${i % 250}.1:443\tthread=3\n`);
      fs.writeSync(fd, lines.join(''));
    }
    fs.closeSync(fd);
    const run = await correlate([p], { maxHeapMb: 256, timeoutMs: 120_000 });
    assert.equal(run.code, 0);
    assert.match(run.stderr, /Envoy events were dropped because more than \d+ fell within one window/);
  });

  it('reads years 0000 and 9999, drops impossible and negative dates, and never overflows a Date', async () => {
    const p = file('years.log', [
      `0000-01-01 00:00:01.000 ${RESET}`,
      `9999-12-31 23:59:58.000 ${RESET}`,
      // Each JSON line is a record of its own, however bad its time (a text line without a time continues the record before).
      JSON.stringify({ '@timestamp': '2024-02-30T10:00:00.000Z', message: 'java.net.SocketException: Connection reset' }),
      JSON.stringify({ '@timestamp': '-0001-01-01T10:00:00.000Z', message: 'java.net.SocketException: Connection reset' }),
      JSON.stringify({ '@timestamp': 1e300, message: 'java.net.SocketException: Connection reset' }),
      JSON.stringify({ ts: -1e20, message: 'java.net.SocketException: Connection reset' }),
    ].join('\n'));
    const run = await correlate(['--format', 'json', '--clock-offset', '604800', p]);
    assert.equal(run.code, 0);
    const times = new Map((JSON.parse(run.stdout) as JsonOutput).resets.map((r) => [r.line, r.time]));
    assert.equal(times.get(1), '0000-01-08T00:00:01.000Z');
    assert.equal(times.get(2), '+010000-01-07T23:59:58.000Z');
    for (const line of [3, 4, 5, 6]) assert.equal(times.get(line), null, `line ${line}`);
  });

  it('keeps a 20-digit connection id exact', async () => {
    const p = file('ids.log', [
      '2024-03-01T10:00:06.000000Z\tdebug\tenvoy pool x.cc:1\t[C99999999999999999999] connect timeout\tthread=3',
      `2024-03-01 10:00:06.010 ${RESET}`,
    ].join('\n'));
    const run = await correlate(['--format', 'json', p]);
    assert.equal(run.code, 0);
    const json = JSON.parse(run.stdout) as JsonOutput;
    assert.deepEqual(json.resets[0]!.matches.map((m) => m.connectionId), ['99999999999999999999']);
  });

  it('shows escape sequences, bidi overrides and links from cluster names, lines and file names escaped in text, exact in JSON', async () => {
    const cluster = 'outbound|443||[docs](command:workbench.action.terminal.new)\u001b]0;pwned\u0007\u202eevil';
    const p = file('hostile-\u001b[31mred\u202e.log', [ACCESS_UF('2024-03-01T10:00:00.000Z', cluster), `2024-03-01 10:00:01.002 ${RESET} \u001b[2J`].join('\n'));
    const text = await correlate([p]);
    assert.equal(text.code, 0);
    assert.doesNotMatch(text.stdout + text.stderr, /[\u001b\u0007\u202e]/);
    assert.match(text.stdout, /\\x1B\]0;pwned\\x07\\u202Eevil/);
    assert.match(text.stdout, /\[docs\]\(command:workbench\.action\.terminal\.new\)/);
    assert.match(text.stdout, /hostile-\\x1B\[31mred\\u202E\.log:2/);
    assert.match(text.stdout, /Connection reset \\x1B\[2J/);
    const json = JSON.parse((await correlate(['--format', 'json', p])).stdout) as JsonOutput;
    assert.equal(json.resets[0]!.cluster, cluster);
    assert.equal(json.resets[0]!.file, p);
  });

  it('refuses /dev/zero, a directory and a missing file before printing anything (exit 2)', async () => {
    const cases: [string, RegExp][] = [
      ['/dev/zero', /\/dev\/zero is a device, not a log file/],
      [dir, /is a directory: give log files/],
      [path.join(dir, 'missing.log'), /cannot read .*missing\.log: ENOENT/],
      [path.join(dir, 'missing-\u001b]0;x\u0007\u202e.log'), /cannot read .*missing-\\x1B\]0;x\\x07\\u202E\.log: ENOENT/],
    ];
    for (const [input, message] of cases) {
      const run = await correlate(['--format', 'json', input]);
      assert.equal(run.code, 2, input);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /[\u001b\u0007\u202e]/);
      assert.equal(run.stdout, '');
    }
  });

  it('keeps JSON one complete document when reading fails midway, saying so (exit 2)', async function () {
    // A regular file by its metadata whose reads fail (EIO): the failure comes after output began.
    if (process.platform !== 'linux') this.skip();
    const run = await correlate(['--format', 'json', '/proc/self/mem']);
    assert.equal(run.code, 2);
    assert.match((JSON.parse(run.stdout) as JsonOutput).error ?? '', /reading failed: .*EIO/);
    assert.match(run.stderr, /reading failed: .*EIO.*Check the files are readable and complete/);
  });

  it('refuses out-of-range numbers with their bounds before printing anything (exit 2)', async () => {
    const p = file('bounds.log', `2024-03-01 10:00:00.000 ${RESET}\n`);
    for (const [option, value, message] of [
      ['--clock-offset', '1e15', /--clock-offset 1e15: expected a number of seconds from -604800 to 604800/],
      ['--window', '1e9', /--window 1e9: expected a number of seconds above 0, at most 3600/],
      ['--connect-timeout', 'c=1e400', /expected CLUSTER=SECONDS with a number of seconds above 0, at most 86400/],
      ['--window', '1\u001b]0;pwned\u0007', /--window 1\\x1B\]0;pwned\\x07: expected/],
      ['--format', '\u202etxt', /--format \\u202Etxt: expected text or json/],
    ] as const) {
      const run = await correlate(['--format', 'json', option, value, p]);
      assert.equal(run.code, 2, `${option} ${value}`);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /[\u001b\u0007\u202e]/);
      assert.equal(run.stdout, '');
    }
  });

  it('reads the same file given twice (also through a link) once, and says so', async () => {
    const p = file('twice.log', `2024-03-01 10:00:00.000 ${RESET}\n`);
    const link = path.join(dir, 'twice-link.log');
    fs.symlinkSync(p, link);
    const run = await correlate(['--format', 'json', p, link, p]);
    assert.equal(run.code, 0);
    assert.equal((JSON.parse(run.stdout) as JsonOutput).resets.length, 1);
    assert.match(run.stderr, /twice-link\.log is the same file as .*twice\.log: reading it once/);
  });

  describe('pipes: a stack trace in them still finds its first line', () => {
    const trace = `2024-03-01 10:00:00.000 ERROR c.e.App - request failed\njava.net.SocketException: Connection reset\n\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:1)\n`;
    const expectTraceAtLine1 = (run: BoundedRun): void => {
      assert.equal(run.code, 0, run.stderr);
      const json = JSON.parse(run.stdout) as JsonOutput;
      assert.deepEqual(json.resets.map((r) => [r.line, r.time]), [[1, '2024-03-01T10:00:00.000Z']]);
    };

    it('reads standard input as -, whether a pipe, a socket or a file', async () => {
      // The bounded runner's standard input is a socket pair, which /dev/stdin cannot open.
      expectTraceAtLine1(await correlate(['--format', 'json', '-'], { stdin: trace }));
      const socketByName = await correlate(['--format', 'json', '/dev/stdin'], { stdin: trace });
      assert.equal(socketByName.code, 2);
      assert.match(socketByName.stderr, /\/dev\/stdin is a socket: give - to read standard input/);
      if (process.platform === 'win32') return;
      const traceFile = file('trace.log', trace);
      for (const shell of [`cat '${traceFile}' | '${process.execPath}' '${CLI_PATH}' correlate --format json -`, `'${process.execPath}' '${CLI_PATH}' correlate --format json - < '${traceFile}'`]) {
        expectTraceAtLine1({ code: 0, stdout: execFileSync('sh', ['-c', shell], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] }), stderr: '', timedOut: false, elapsedMs: 0 });
      }
    });

    it('reads a process substitution', async function () {
      if (!fs.existsSync('/bin/bash')) this.skip();
      const traceFile = file('trace-sub.log', trace);
      const stdout = execFileSync('/bin/bash', ['-c', `'${process.execPath}' '${CLI_PATH}' correlate --format json <(cat '${traceFile}')`], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
      expectTraceAtLine1({ code: 0, stdout, stderr: '', timedOut: false, elapsedMs: 0 });
    });

    it('reads a FIFO', async function () {
      if (process.platform === 'win32') this.skip();
      const fifo = path.join(dir, 'fifo.log');
      execFileSync('mkfifo', [fifo]);
      const [run] = await Promise.all([correlate(['--format', 'json', fifo]), fs.promises.writeFile(fifo, trace)]);
      expectTraceAtLine1(run);
    });
  });

  it('ends quietly with exit 0 when the reader closes the pipe early (| head -1)', async () => {
    const p = path.join(dir, 'many.log');
    const start = Date.parse('2024-03-01T10:00:00Z');
    fs.writeFileSync(p, Array.from({ length: 20_000 }, (_, i) => `${new Date(start + i).toISOString()} ${RESET}\n`).join(''));
    const child = spawn(process.execPath, [CLI_PATH, 'correlate', p], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.stdout.once('data', () => child.stdout.destroy());
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearTimeout(timer);
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|unexpected failure|\n\s+at /);
  });
});
