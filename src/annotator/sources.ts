import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CorrelateByteInput, CorrelateInput } from '../core/correlate';
import type { RunSource } from './protocol';

/** One input to correlate, and how the panel names it and finds its lines again. */
export interface AnnotateInput {
  readonly source: RunSource;
  readonly input: CorrelateInput | CorrelateByteInput;
}

function runSource(uri: vscode.Uri, firstLine = 1, label = vscode.workspace.asRelativePath(uri, false)): RunSource {
  return { file: uri.toString(), label, firstLine };
}

function* documentLines(document: vscode.TextDocument, from: number, to: number): Iterable<string> {
  for (let i = from; i <= to; i++) yield document.lineAt(i).text;
}

/**
 * The active editor's selection, or the whole document when nothing is selected. Lines are read
 * lazily from the document, so a large editor is not copied up front.
 */
export function editorInput(editor: vscode.TextEditor): AnnotateInput {
  const { document, selection } = editor;
  let from = 0;
  let to = document.lineCount - 1;
  if (!selection.isEmpty) {
    from = selection.start.line;
    // A selection that ends at the start of a line does not include that line.
    to = selection.end.character === 0 && selection.end.line > from ? selection.end.line - 1 : selection.end.line;
  }
  return {
    source: runSource(document.uri, from + 1),
    input: { file: document.uri.toString(), lines: documentLines(document, from, to) },
  };
}

/** Opens the file only when the correlator starts reading it, so a failed run leaves no open handles. */
async function* fileChunks(path: string): AsyncIterable<Uint8Array> {
  yield* fs.createReadStream(path, { highWaterMark: 256 * 1024 });
}

function* textLines(text: string): Iterable<string> {
  for (const line of text.split('\n')) yield line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * Files picked on disk or in the Explorer. An open document with unsaved edits is read from the
 * editor, so links land on the lines the user sees. Fails with the file's name when one is unreadable.
 */
export async function fileInputs(uris: readonly vscode.Uri[]): Promise<AnnotateInput[]> {
  const inputs: AnnotateInput[] = [];
  for (const uri of uris) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty) {
      inputs.push({ source: runSource(uri), input: { file: uri.toString(), lines: documentLines(open, 0, open.lineCount - 1) } });
      continue;
    }
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch (err) {
      throw new Error(`cannot read ${uri.fsPath || uri.toString()}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (stat.type & vscode.FileType.Directory) throw new Error(`${uri.fsPath || uri.toString()} is a folder; pick log files`);
    // Files on disk stream as bytes (the correlator's fast path); other schemes are read whole.
    const input = uri.scheme === 'file'
      ? { file: uri.toString(), chunks: fileChunks(uri.fsPath) }
      : { file: uri.toString(), lines: textLines(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))) };
    inputs.push({ source: runSource(uri), input });
  }
  return inputs;
}
