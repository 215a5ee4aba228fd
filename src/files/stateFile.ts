import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type RaisedPod, isRaisedPod } from '../core/envoyLogging/raisedState';

/**
 * The CLI's record of raised pods: `$XDG_CACHE_HOME/mesh-doctor/log-levels.json` (else
 * `~/.cache/...`), shared by every `mesh-doctor log-level` run on this machine. Writes go through a
 * temporary file and a rename so a crash never leaves half a file, and updates hold a lock
 * directory so two runs raising different pods do not drop each other's record.
 */
export function defaultStateFile(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME?.trim() || path.join(os.homedir(), '.cache');
  return path.join(cache, 'mesh-doctor', 'log-levels.json');
}

export function readStateFile(file: string): RaisedPod[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`cannot read the saved log levels at ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`the saved log levels at ${file} are not valid JSON; delete the file to start over (the pods it listed keep their current levels)`);
  }
  const pods = (parsed as { pods?: unknown } | null)?.pods;
  return Array.isArray(pods) ? pods.filter(isRaisedPod) : [];
}

function writeStateFile(file: string, pods: readonly RaisedPod[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ version: 1, pods }, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Applies `update` to the file's records under a lock; returns what `update` returned. */
export async function updateStateFile<T>(file: string, update: (pods: RaisedPod[]) => { pods: RaisedPod[]; result: T }): Promise<T> {
  const lock = `${file}.lock`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() > deadline) {
        // A run killed while holding the lock leaves it behind; after 5 s it is stale.
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  try {
    const { pods, result } = update(readStateFile(file));
    writeStateFile(file, pods);
    return result;
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
