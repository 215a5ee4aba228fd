/**
 * The extensionTestsPath module: VS Code's extension host calls `run()` after activating the
 * extension under development. It runs every compiled `*.test.js` below this folder with mocha.
 * MESH_DOCTOR_TEST_GREP narrows the run to matching titles.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { createFileReporter } from './report';

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(p));
    else if (entry.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

export function run(): Promise<void> {
  const reportFile = process.env.MESH_DOCTOR_TEST_REPORT;
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    reporter: reportFile ? createFileReporter(reportFile) : 'spec',
    grep: process.env.MESH_DOCTOR_TEST_GREP || undefined,
  });
  for (const file of findTests(__dirname)) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
