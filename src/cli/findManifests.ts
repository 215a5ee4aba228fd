import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { describeFileType } from '../files/manifestFile';

/** Folders that never hold the user's manifests and can be huge. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml']);
const WITH_JSON = new Set(['.yaml', '.yml', '.json']);

export interface ManifestSearchOptions {
  /** Also take `*.json` files in folders (Kubernetes manifests written as JSON, which is YAML). */
  readonly includeJson?: boolean;
}

export interface ManifestFile {
  /** The path as shown to the user: the argument, joined with the file's place below it. */
  readonly display: string;
  readonly absolute: string;
  /** The absolute path of the argument it was found under: a walk up for a chart's Chart.yaml stops there. */
  readonly root: string;
}

/** A path that names a manifest but cannot be linted, and why. */
export interface UncheckedPath {
  readonly display: string;
  /** One sentence for the terminal, naming the path (unescaped: the caller makes it safe to show). */
  readonly reason: string;
}

export interface ManifestSearch {
  readonly files: ManifestFile[];
  /** Arguments, folders and manifest-named entries that could not be read or are not regular files. */
  readonly unchecked: UncheckedPath[];
}

/**
 * Expands the command line's paths into manifest files: a regular file is taken as given (whatever
 * its extension), a folder is walked for *.yaml and *.yml. Symbolic links to folders are not
 * followed, so a link loop cannot make the walk endless; a manifest-named link is taken only when
 * it leads to a regular file. FIFOs, devices and sockets are reported, never opened here.
 */
export async function findManifests(args: readonly string[], cwd: string, options: ManifestSearchOptions = {}): Promise<ManifestSearch> {
  const extensions = options.includeJson === true ? WITH_JSON : MANIFEST_EXTENSIONS;
  const search: ManifestSearch = { files: [], unchecked: [] };
  for (const arg of args) {
    const absolute = path.resolve(cwd, arg);
    try {
      const info = await stat(absolute);
      if (info.isDirectory()) await walk(arg, absolute, { search, extensions, root: absolute });
      else if (info.isFile()) search.files.push({ display: arg, absolute, root: path.dirname(absolute) });
      else search.unchecked.push(notRegular(arg, describeFileType(info)));
    } catch (err) {
      search.unchecked.push(cannotRead(arg, err));
    }
  }
  return search;
}

interface Walk {
  readonly search: ManifestSearch;
  readonly extensions: ReadonlySet<string>;
  readonly root: string;
}

async function walk(display: string, absolute: string, into: Walk): Promise<void> {
  const { search } = into;
  let entries: Dirent[];
  try {
    entries = await readdir(absolute, { withFileTypes: true });
  } catch (err) {
    search.unchecked.push(cannotRead(display, err));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const childDisplay = path.join(display, entry.name);
    const childAbsolute = path.join(absolute, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) await walk(childDisplay, childAbsolute, into);
    } else if (into.extensions.has(path.extname(entry.name).toLowerCase())) {
      await addNamedManifest(entry, childDisplay, childAbsolute, into);
    }
  }
}

/** A folder entry named like a manifest: linted when it is (or links to) a regular file, reported otherwise. */
async function addNamedManifest(entry: Dirent, display: string, absolute: string, { search, root }: Walk): Promise<void> {
  if (entry.isFile()) {
    search.files.push({ display, absolute, root });
    return;
  }
  if (!entry.isSymbolicLink()) {
    search.unchecked.push(notRegular(display, describeFileType(entry)));
    return;
  }
  try {
    const target = await stat(absolute);
    if (target.isFile()) search.files.push({ display, absolute, root });
    // A link to a folder is not followed (see above); one to a device or FIFO is not read.
    else search.unchecked.push(notRegular(display, `a link to ${describeFileType(target)}`));
  } catch (err) {
    search.unchecked.push(cannotRead(display, err));
  }
}

export function notRegular(display: string, what: string): UncheckedPath {
  return { display, reason: `not a regular file: ${display} (${what}); only regular files are linted` };
}

export function cannotRead(display: string, err: unknown): UncheckedPath {
  return { display, reason: `cannot read ${display}: ${describeFsError(err)}. Check the path and its permissions` };
}

/** `ENOENT: no such file or directory`, without the path Node repeats (the caller shows it). */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such file or directory';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'EISDIR') return 'is a directory';
  if (e.code === 'ELOOP') return 'too many levels of symbolic links (a link loop?)';
  return e.message ?? String(err);
}

/**
 * The values.yaml of the Helm chart a template belongs to: walk up from the file's folder to the
 * nearest Chart.yaml, no higher than the argument it was found under. Cached per folder, since
 * every template of a chart asks the same question.
 */
export class ChartValuesFinder {
  private readonly byFolder = new Map<string, Promise<string | null>>();

  /** The absolute path of the chart's values.yaml, or null outside a chart (or without values). */
  find(file: ManifestFile): Promise<string | null> {
    return this.inFolder(path.dirname(file.absolute), file.root);
  }

  private inFolder(folder: string, root: string): Promise<string | null> {
    let found = this.byFolder.get(folder);
    if (found === undefined) {
      found = this.look(folder, root);
      this.byFolder.set(folder, found);
    }
    return found;
  }

  private async look(folder: string, root: string): Promise<string | null> {
    if (await isRegularFile(path.join(folder, 'Chart.yaml'))) {
      const values = path.join(folder, 'values.yaml');
      return (await isRegularFile(values)) ? values : null;
    }
    const parent = path.dirname(folder);
    const inside = path.relative(root, parent);
    if (parent === folder || inside.startsWith('..') || path.isAbsolute(inside)) return null;
    return this.inFolder(parent, root);
  }
}

async function isRegularFile(absolute: string): Promise<boolean> {
  try {
    return (await stat(absolute)).isFile();
  } catch {
    return false;
  }
}
