// Compiles the WebAssembly parts of the product (wasm/*.ts, AssemblyScript) and writes each as a
// TypeScript module holding its bytes (base64), so that tsc's out/ and esbuild's bundles carry it
// without a loader or a file read: src/core stays free of I/O. The modules are build output,
// ignored by git; `npm run build` writes them before tsc runs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const MODULES = [{ source: 'wasm/logScan.ts', target: 'src/core/logs/logScanWasm.ts', name: 'LOG_SCAN_WASM' }];

const scratch = mkdtempSync(path.join(tmpdir(), 'mesh-doctor-wasm-'));
try {
  for (const { source, target, name } of MODULES) {
    const wasm = path.join(scratch, 'module.wasm');
    // --runtime stub: no garbage collector (the module allocates nothing); --noAssert: bounds are the
    // caller's; SIMD (in every Node.js the product runs on, 20 and later) for the marker search.
    execFileSync(process.execPath, [path.join(root, 'node_modules/assemblyscript/bin/asc.js'), path.join(root, source), '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '--initialMemory', '4', '-o', wasm], { stdio: 'inherit' });
    const bytes = readFileSync(wasm).toString('base64');
    const text = `// Built by scripts/buildWasm.mjs from ${source}; do not edit.\nexport const ${name} = '${bytes}';\n`;
    const out = path.join(root, target);
    let current = '';
    try {
      current = readFileSync(out, 'utf8');
    } catch {
      // first build
    }
    // Unchanged output keeps its time stamp, so tsc --watch and editors do not rebuild for nothing.
    if (current !== text) writeFileSync(out, text);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
