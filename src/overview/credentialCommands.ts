import type { PrometheusAuth } from '../kube/prometheus';
import type { PickItem, UserInterface } from '../services/ui';
import type { PrometheusCredentials } from './credentials';

type AuthKindItem = PickItem & { readonly auth: PrometheusAuth['kind'] };

const required = (what: string) => (value: string) => (value.length === 0 ? `Enter the ${what}` : /[\r\n]/.test(value) ? `The ${what} cannot contain a line break` : undefined);

/** Asks for a bearer token or a username and password; undefined when the user dismissed a step. */
async function askCredentials(ui: UserInterface): Promise<PrometheusAuth | undefined> {
  const kinds: AuthKindItem[] = [
    { auth: 'bearer', icon: 'key', label: 'Bearer token', description: 'Authorization: Bearer …' },
    { auth: 'basic', icon: 'account', label: 'Username and password', description: 'basic auth' },
  ];
  const kind = await ui.pick(kinds, { title: 'Prometheus credentials', placeHolder: 'How does your Prometheus (or its gateway) authenticate?' });
  if (!kind) return undefined;
  if (kind.auth === 'bearer') {
    const token = await ui.input({ title: 'Prometheus bearer token', prompt: 'Kept in VS Code secret storage, never in settings', password: true, validate: required('token') });
    return token === undefined ? undefined : { kind: 'bearer', token };
  }
  const username = await ui.input({ title: 'Prometheus username', prompt: 'For basic auth', validate: required('username') });
  if (username === undefined) return undefined;
  const password = await ui.input({ title: 'Prometheus password', prompt: 'Kept in VS Code secret storage, never in settings', password: true, validate: required('password') });
  return password === undefined ? undefined : { kind: 'basic', username, password };
}

/** `meshDoctor.overview.setCredentials` and `clearCredentials`: the secrets are stored, never shown or logged. */
export function credentialCommands(ui: UserInterface, credentials: PrometheusCredentials): { readonly set: () => Promise<void>; readonly clear: () => Promise<void> } {
  return {
    async set() {
      const auth = await askCredentials(ui);
      if (!auth) return;
      await credentials.set(auth);
      void ui.notify('info', `Mesh Doctor: Prometheus credentials saved (${auth.kind === 'bearer' ? 'bearer token' : 'basic auth'}). They are sent only to meshDoctor.prometheus.url.`);
    },
    async clear() {
      await credentials.clear();
      void ui.notify('info', 'Mesh Doctor: Prometheus credentials cleared.');
    },
  };
}
