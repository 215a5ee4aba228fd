import { readFileSync, statSync } from 'node:fs';

/** A CA bundle is a few PEM certificates; anything larger is not one, and is not read. */
const MAX_CA_BYTES = 1024 * 1024;

/**
 * The PEM text of a CA bundle (`--ca`, `meshDoctor.prometheus.caFile`). Throws an Error whose
 * message says why in a few words (`larger than 1 MB, not a CA bundle`, `cannot read it (ENOENT)`),
 * for the caller to prefix with the file's name.
 */
export function readCaBundle(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (err) {
    throw new Error(`cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size > MAX_CA_BYTES) throw new Error('larger than 1 MB, not a CA bundle');
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
