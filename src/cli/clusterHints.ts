import { type KubeAccessError } from '../kube/types';

/** A cluster failure's hint in the CLI's words: a timeout names the flag that sets it. */
export function cliHint(err: KubeAccessError): string {
  if (err.reason === 'Timeout') return 'the cluster did not answer in time: check the API server and the pod, then retry, or allow longer with --timeout SECONDS';
  // Hints are worded for the editor's setting; the CLI has a flag for the same choice.
  return err.hint.replace(/set meshDoctor\.transport to kubectl/g, 'run with --transport kubectl');
}
