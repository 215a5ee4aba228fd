import * as fs from 'node:fs';
import * as path from 'node:path';
import { FINDING_CODES, lintManifest, type FindingCode, type ManifestLintResult } from '../../../../src/core/lint';

/** The repository root, from out/test/unit/core/lint. */
export const REPO_ROOT = path.resolve(__dirname, '../../../../..');

/** A file under the shared fixtures folder (`MESH_DOCTOR_SHARED` overrides where that folder is). */
export function sharedFixture(relative: string): string {
  const shared = process.env.MESH_DOCTOR_SHARED ?? path.resolve(REPO_ROOT, '../shared');
  return path.join(shared, 'fixtures', relative);
}

/** A file of this repository's lint fixtures (the demo workspace's manifests). */
export function lintFixture(name: string): string {
  return path.join(REPO_ROOT, 'test/fixtures/lint', name);
}

/** The rules that judge other settings than a connect timeout: the connect timeout suites look at timeouts alone. */
const NOT_CONNECT_TIMEOUT: ReadonlySet<FindingCode> = new Set(FINDING_CODES.filter((code) => !code.startsWith('connect-timeout-')));

/** Lints for connect timeouts only (parse failures stay in `problems`). */
export function lintText(text: string, minimumSeconds = 10): ManifestLintResult {
  return lintManifest(text, { minimumSeconds, disabled: NOT_CONNECT_TIMEOUT });
}

export function lintFile(file: string, minimumSeconds = 10): ManifestLintResult {
  return lintText(fs.readFileSync(file, 'utf8'), minimumSeconds);
}

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };

/** `[line, character, line, character]`, 0-based, for compact range assertions. */
export function span(r: Range): number[] {
  return [r.start.line, r.start.character, r.end.line, r.end.character];
}

/** The string offset of a 0-based line/character position (independent of the linter's own index). */
function offsetOf(text: string, p: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < p.line; line++) offset = text.indexOf('\n', offset) + 1;
  return offset + p.character;
}

/** The text covered by a range, for asserting that a range holds exactly the value. */
export function textAt(text: string, r: Range): string {
  return text.slice(offsetOf(text, r.start), offsetOf(text, r.end));
}

/** Applies a finding's fix to the text. */
export function applyFix(text: string, r: Range, replacement: string): string {
  return text.slice(0, offsetOf(text, r.start)) + replacement + text.slice(offsetOf(text, r.end));
}
