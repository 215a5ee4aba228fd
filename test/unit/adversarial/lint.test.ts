/**
 * Hostile input for `mesh-doctor lint`: YAML built to be slow or huge, files that are not files,
 * and names built to take over the terminal. Each case runs the real CLI with a time and heap
 * limit and asserts the documented exit code, a clear message, and no hang or crash stack.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCliBounded, type BoundedOptions, type BoundedRun } from './bounded';

const EXIT_OK = 0;
const EXIT_FINDINGS = 1;
const EXIT_UNCHECKED = 3;

/** A DestinationRule whose connect timeout is `value` (YAML text as written). */
const rule = (value: string, name = 'idp'): string =>
  `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ${name}}\nspec:\n  host: ${name}\n  trafficPolicy: {connectionPool: {tcp: {connectTimeout: ${value}}}}\n`;

/** Characters that must never reach the terminal raw: ESC, BEL, CSI (C1), bidi override and isolate. */
const RAW_CONTROL = /[\u001b\u0007\u009b\u202e\u2066\u2067]/;

function scratch(files: Record<string, string | Buffer> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-doctor-adversarial-lint-'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function lint(dir: string, args: readonly string[], options: BoundedOptions = {}): Promise<BoundedRun> {
  const run = await runCliBounded(['lint', ...args], { cwd: dir, timeoutMs: 20_000, ...options });
  assert.equal(run.timedOut, false, `lint ${args.join(' ')} did not finish within its limit`);
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+\)?\n|heap out of memory|Maximum call stack/, `crashed:\n${run.stderr.slice(0, 2000)}`);
  return run;
}

describe('adversarial: mesh-doctor lint on hostile YAML', function () {
  this.timeout(120_000);

  it('does not expand an alias bomb (billion laughs) and says the list is not a duration', async () => {
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let level = 1; level < 9; level++) {
      const prev = String.fromCharCode(96 + level);
      const next = String.fromCharCode(97 + level);
      bomb += `${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    }
    const dir = scratch({ 'bomb.yaml': `${bomb}meshConfig:\n  connectTimeout: *i\n` });
    const run = await lint(dir, ['bomb.yaml'], { maxHeapMb: 128 });
    assert.equal(run.code, EXIT_FINDINGS);
    assert.match(run.stdout, /bomb\.yaml:\d+:\d+ error .*expected a duration, got a list.*\[connect-timeout-invalid\]/);
  });

  it('resolves 100,000 aliases in time linear in the document and reports the shared value once', async () => {
    const subsets = Array.from({ length: 100_000 }, (_, i) => `  - name: s${i}\n    trafficPolicy: {connectionPool: {tcp: {connectTimeout: *low}}}\n`).join('');
    const text = `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: idp}\nspec:\n  host: idp\n  trafficPolicy: {connectionPool: {tcp: {connectTimeout: &low 1s}}}\n  subsets:\n${subsets}`;
    const dir = scratch({ 'aliases.yaml': text });
    const run = await lint(dir, ['--format', 'json', 'aliases.yaml'], { timeoutMs: 90_000, maxHeapMb: 1024 });
    assert.equal(run.code, EXIT_FINDINGS);
    const rows = JSON.parse(run.stdout) as { line: number }[];
    assert.deepEqual(rows.map((r) => r.line), [6], 'one finding, at the anchor');
  });

  it('follows an alias to the closest preceding anchor of its name, as YAML says', async () => {
    const text = 'x: &t 1s\ny: &t 20s\nmeshConfig: {connectTimeout: *t}\n---\nz: &t 30s\n';
    const run = await lint(scratch({ 'redefined.yaml': text }), ['redefined.yaml']);
    assert.equal(run.code, EXIT_OK, 'the alias means 20s, not 1s');
  });

  it('reports 100,000 levels of nesting as a file it could not check, without overflowing the stack', async () => {
    const deep = `meshConfig: {connectTimeout: 1s}\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const run = await lint(scratch({ 'deep.yaml': deep }), ['deep.yaml'], { maxHeapMb: 512, timeoutMs: 60_000 });
    assert.equal(run.code, EXIT_UNCHECKED);
    assert.match(run.stdout, /^deep\.yaml:1:1 information .*YAML does not parse here: it is nested too deeply \(or too large\) to parse\..*\[unreadable-file\]$/m);
  });

  it('lints a 5 MB single line and quotes no more of it than the value', async () => {
    const value = `"${'9'.repeat(5 * 1024 * 1024)}s"`;
    const run = await lint(scratch({ 'long.yaml': rule(value) }), ['long.yaml'], { maxHeapMb: 512, timeoutMs: 60_000 });
    assert.ok(run.code === EXIT_OK || run.code === EXIT_FINDINGS, `exit ${run.code}`);
    assert.ok(run.stdout.length < 64 * 1024, `printed ${run.stdout.length} characters for one finding`);
  });

  it('skips a file with NUL bytes as binary and exits 3', async () => {
    const run = await lint(scratch({ 'nul.yaml': `${rule('1s')}\u0000\u0000` }), ['nul.yaml']);
    assert.equal(run.code, EXIT_UNCHECKED);
    assert.match(run.stderr, /^nul\.yaml:1:1 warning File contains NUL bytes/m);
  });

  it('lints invalid UTF-8 around a value instead of failing', async () => {
    const bytes = Buffer.concat([Buffer.from('# \xff\xfe broken bytes\n', 'latin1'), Buffer.from(rule('1s'))]);
    const run = await lint(scratch({ 'latin1.yaml': bytes }), ['latin1.yaml']);
    assert.equal(run.code, EXIT_FINDINGS);
    assert.match(run.stdout, /^latin1\.yaml:7:\d+ warning connectTimeout 1s/m);
  });

  it('counts lines the way editors do with a BOM, CRLF and bare CR line ends', async () => {
    const crlf = `\uFEFF${rule('1s').replace(/\n/g, '\r\n')}`;
    const cr = rule('1s').replace(/\n/g, '\r');
    const dir = scratch({ 'crlf.yaml': crlf, 'cr.yaml': cr });
    const run = await lint(dir, ['--format', 'json', 'crlf.yaml', 'cr.yaml']);
    assert.equal(run.code, EXIT_FINDINGS);
    const rows = JSON.parse(run.stdout) as { file: string; line: number; column: number }[];
    const column = rule('1s').split('\n')[5].indexOf('1s') + 1;
    assert.deepEqual(rows.map((r) => [r.file, r.line, r.column]), [['crlf.yaml', 6, column], ['cr.yaml', 6, column]]);
  });

  it('reports duplicate keys as a parse problem and exits 3', async () => {
    const run = await lint(scratch({ 'dup.yaml': rule('1s').replace('kind:', 'kind: X\nkind:') }), ['dup.yaml']);
    assert.equal(run.code, EXIT_UNCHECKED);
    assert.match(run.stdout, /^dup\.yaml:1:1 information .*YAML does not parse here: .*unique.*\[unreadable-file\]$/m);
  });

  it('judges connect timeouts that are maps, lists, booleans, infinities, huge numbers and tags without crashing', async () => {
    const values = ['{a: 1}', '[1s]', 'true', '.inf', '1e400s', '"1e400s"', '!!binary aGVsbG8=', '!!str 1s', '{seconds: 1e400}', '-1s', '0s', '-.nan', '99999999999999999999999999999s', '300000000h'];
    const text = values.map((v, i) => rule(v, `r${i}`)).join('---\n');
    const run = await lint(scratch({ 'values.yaml': text }), ['--format', 'json', 'values.yaml']);
    assert.equal(run.code, EXIT_FINDINGS);
    const rows = JSON.parse(run.stdout) as { resource: { name: string }; code: string }[];
    const flagged = new Map(rows.map((r) => [r.resource.name, r.code]));
    for (const [i, v] of values.entries()) assert.ok(flagged.has(`r${i}`), `connectTimeout: ${v} was not flagged`);
    assert.equal(flagged.get('r7'), 'connect-timeout-low', '!!str 1s is the string 1s');
  });

  it('lints 40,000 tiny documents with mesh-wide values and rules in linear time, naming a bounded number of overrides', async () => {
    const docs: string[] = [];
    for (let i = 0; i < 20_000; i++) docs.push(`meshConfig: {connectTimeout: 1s}\n`, rule('20s', `r${i}`));
    const dir = scratch({ 'many.yaml': docs.join('---\n') });
    const run = await lint(dir, ['--disable', 'startup-order', 'many.yaml'], { timeoutMs: 45_000, maxHeapMb: 1024 });
    assert.equal(run.code, EXIT_FINDINGS);
    assert.match(run.stderr, /^20000 findings \(20000 warning\) in 1 file$/m);
    const [first, ...notes] = run.stdout.slice(0, run.stdout.indexOf('\nmany.yaml:', 1)).split('\n');
    assert.match(first, /^many\.yaml:1:\d+ warning connectTimeout 1s/);
    assert.equal(notes.length, 21, 'twenty rules named, then how many more');
    assert.equal(notes[20], '  note: and 19980 more DestinationRules');
  });

  it('declines a file above 10 MB without reading it, and exits 3', async () => {
    const dir = scratch();
    fs.writeFileSync(path.join(dir, 'big.yaml'), '');
    fs.truncateSync(path.join(dir, 'big.yaml'), 11 * 1024 * 1024);
    const run = await lint(dir, ['big.yaml'], { maxHeapMb: 64 });
    assert.equal(run.code, EXIT_UNCHECKED);
    assert.match(run.stderr, /^big\.yaml:1:1 warning File is 11\.0 MB/m);
  });
});

describe('adversarial: mesh-doctor lint on hostile file types', function () {
  this.timeout(60_000);

  it('names a FIFO given on the command line, does not open it for reading, and exits 3', async () => {
    const dir = scratch();
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    const run = await lint(dir, ['pipe.yaml'], { timeoutMs: 10_000 });
    assert.equal(run.code, EXIT_UNCHECKED);
    assert.match(run.stderr, /mesh-doctor lint: not a regular file: pipe\.yaml \(a FIFO\); only regular files are linted\./);
  });

  it('reports a FIFO named .yaml inside a folder and still lints its neighbours', async () => {
    const dir = scratch({ 'low.yaml': rule('1s') });
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    const run = await lint(dir, ['--fail-on', 'error', '.'], { timeoutMs: 10_000 });
    assert.equal(run.code, EXIT_UNCHECKED);
    assert.match(run.stdout, /^low\.yaml:6:\d+ warning/m);
    assert.match(run.stderr, /not a regular file: pipe\.yaml \(a FIFO\)/);
  });

  it('does not read /dev/zero or /dev/urandom behind a .yaml link, given directly or found in a folder', async () => {
    const dir = scratch();
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    fs.symlinkSync('/dev/urandom', path.join(dir, 'random.yaml'));
    const walked = await lint(dir, ['.'], { timeoutMs: 10_000, maxHeapMb: 64 });
    assert.equal(walked.code, EXIT_UNCHECKED);
    assert.match(walked.stderr, /not a regular file: zero\.yaml \(a link to a character device\)/);
    assert.match(walked.stderr, /not a regular file: random\.yaml \(a link to a character device\)/);
    const named = await lint(dir, ['zero.yaml', '/dev/urandom'], { timeoutMs: 10_000, maxHeapMb: 64 });
    assert.equal(named.code, EXIT_UNCHECKED);
    assert.match(named.stderr, /not a regular file: zero\.yaml \(a character device\)/);
    assert.match(named.stderr, /not a regular file: \/dev\/urandom \(a character device\)/);
  });

  it('ends on symbolic link loops, of files and of folders', async () => {
    const dir = scratch({ 'ok.yaml': rule('20s') });
    fs.symlinkSync('b.yaml', path.join(dir, 'a.yaml'));
    fs.symlinkSync('a.yaml', path.join(dir, 'b.yaml'));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.symlinkSync('..', path.join(dir, 'sub', 'up'));
    fs.symlinkSync('.', path.join(dir, 'self.yaml'));
    const run = await lint(dir, ['.'], { timeoutMs: 10_000 });
    assert.equal(run.code, EXIT_UNCHECKED);
    assert.match(run.stderr, /cannot read a\.yaml: too many levels of symbolic links/);
    assert.match(run.stderr, /not a regular file: self\.yaml \(a link to a directory\)/);
    assert.match(run.stderr, /0 findings in 1 file; 3 inputs not checked/);
  });

  it('lints a file with mode 000 when the user may still read it (root), else says permission denied', async () => {
    const dir = scratch({ 'locked.yaml': rule('1s') });
    fs.chmodSync(path.join(dir, 'locked.yaml'), 0o000);
    const run = await lint(dir, ['locked.yaml']);
    if (process.getuid?.() === 0) {
      assert.equal(run.code, EXIT_FINDINGS);
      assert.match(run.stdout, /^locked\.yaml:6:\d+ warning/m);
    } else {
      assert.equal(run.code, EXIT_UNCHECKED);
      assert.match(run.stderr, /cannot read locked\.yaml: permission denied/);
    }
  });

  it('walks a folder named x.yaml as a folder', async () => {
    const dir = scratch();
    fs.mkdirSync(path.join(dir, 'x.yaml'));
    fs.writeFileSync(path.join(dir, 'x.yaml', 'inner.yml'), rule('1s'));
    const run = await lint(dir, ['.']);
    assert.equal(run.code, EXIT_FINDINGS);
    assert.match(run.stdout, new RegExp(`^${path.join('x.yaml', 'inner.yml').replace(/\./g, '\\.')}:6:\\d+ warning`, 'm'));
  });
});

describe('adversarial: mesh-doctor lint on hostile names and values', function () {
  this.timeout(60_000);

  const TITLE = '\u001b]0;pwned\u0007';
  const BIDI = 'evil\u202Elmay.yaml';

  it('shows ESC sequences, bidi overrides and newlines in file names as visible escapes in text output', async () => {
    const names = [`${TITLE}.yaml`, BIDI, 'two\nlines.yaml'];
    const dir = scratch(Object.fromEntries(names.map((n) => [n, rule('1s')])));
    const run = await lint(dir, ['.']);
    assert.equal(run.code, EXIT_FINDINGS);
    assert.doesNotMatch(run.stdout + run.stderr, RAW_CONTROL);
    assert.match(run.stdout, /^\\x1B\]0;pwned\\x07\.yaml:6:\d+ warning/m);
    assert.match(run.stdout, /^evil\\u202Elmay\.yaml:6:\d+ warning/m);
    assert.match(run.stdout, /^two\\x0Alines\.yaml:6:\d+ warning/m);
    assert.equal(run.stdout.trimEnd().split('\n').length, 3, 'one line per finding: a newline in a name cannot forge a line');
  });

  it('shows control characters in values, resource names and parse errors quoted from the manifest', async () => {
    const value = '"1s\\e]0;x\\a"';
    const dir = scratch({
      'value.yaml': rule(value, '"idp\\u202E"'),
      'broken.yaml': `meshConfig: {connectTimeout: 1s\n"\u001b[31m": [\n`,
    });
    const run = await lint(dir, ['.']);
    assert.equal(run.code, EXIT_FINDINGS);
    assert.doesNotMatch(run.stdout + run.stderr, RAW_CONTROL);
    assert.match(run.stdout, /for connections to idp\\u202E\./);
    assert.match(run.stdout, /^broken\.yaml:1:1 information .*YAML does not parse here/m);
  });

  it('names a bad path with control characters safely in the "cannot read" message', async () => {
    const run = await lint(scratch(), [`${TITLE}missing.yaml`]);
    assert.equal(run.code, EXIT_UNCHECKED);
    assert.doesNotMatch(run.stderr, RAW_CONTROL);
    assert.match(run.stderr, /cannot read \\x1B\]0;pwned\\x07missing\.yaml: no such file or directory/);
  });

  it('keeps JSON and SARIF exact (names parse back as written) with no raw control or bidi character on the wire', async () => {
    const overriding = `${rule('20s', 'other')}`;
    const dir = scratch({ [BIDI]: `meshConfig: {connectTimeout: "1s\u202E"}\n---\n${overriding}`, [`${TITLE}.yaml`]: rule('"1s\u009b"') });
    const json = await lint(dir, ['--format', 'json', '--disable', 'startup-order', '.']);
    assert.equal(json.code, EXIT_FINDINGS);
    assert.doesNotMatch(json.stdout, RAW_CONTROL);
    const rows = JSON.parse(json.stdout) as { file: string; value: string }[];
    assert.deepEqual(rows.map((r) => r.file).sort(), [`${TITLE}.yaml`, BIDI].sort());
    assert.ok(rows.some((r) => r.value === '"1s\u202E"'), 'the value is the text as written');

    const sarif = await lint(dir, ['--format', 'sarif', '.']);
    assert.doesNotMatch(sarif.stdout, RAW_CONTROL);
    const log = JSON.parse(sarif.stdout) as {
      runs: { results: { message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const results = log.runs[0].results;
    const uris = results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
    assert.ok(uris.includes(encodeURIComponent(BIDI)), 'artifact URIs name the file exactly, percent-encoded');
    assert.ok(uris.includes('%1B%5D0%3Bpwned%07.yaml'));
    for (const r of results) assert.doesNotMatch(r.message.text, RAW_CONTROL, 'message texts are shown to people');
    assert.ok(results.some((r) => r.message.text.includes('\\u202E')));
  });
});
