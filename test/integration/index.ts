/** extensionTestsPath of the integration suite: every test below this folder. */
import { runMochaIn } from '../host/mochaInHost';

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
