/**
 * Runs every compiled `*.test.js` below a folder with mocha inside VS Code's extension host.
 * Mocha's console goes to the browser there, so outcomes go to the file named by
 * MESH_DOCTOR_TEST_REPORT; MESH_DOCTOR_TEST_GREP narrows the run to matching titles.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { createFileReporter } from '../integration/report';

function findTests(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? findTests(p) : e.name.endsWith('.test.js') ? [p] : [];
  });
}

export function runMochaIn(dir: string): Promise<void> {
  const reportFile = process.env.MESH_DOCTOR_TEST_REPORT;
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    reporter: reportFile ? createFileReporter(reportFile) : 'spec',
    grep: process.env.MESH_DOCTOR_TEST_GREP || undefined,
  });
  for (const file of findTests(dir).sort()) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
