/** extensionTestsPath of the packaged-extension suite: the .vsix installed as users get it. */
import { runMochaIn } from '../host/mochaInHost';

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
