import { type MeshProfileName, type ScenarioName, startStandIn } from './index';
import { startStandInPrometheus } from './prometheus';

/* `npm run sim -- --scenario incident|scale|causes [--profile default|demo] --kubeconfig-out PATH [--port N] [--context NAME] [--extra-contexts a,b] [--namespaces N --pods N --clusters N] [--prometheus [--scrape-interval S]]` */

const USAGE =
  'usage: npm run sim -- --scenario incident|scale|causes [--profile default|demo] --kubeconfig-out PATH [--port N] [--context NAME] ' +
  '[--extra-contexts NAME,NAME] [--namespaces N] [--pods N] [--clusters N] [--prometheus] [--scrape-interval SECONDS]';

/** Options that take no value. */
const FLAGS = new Set(['prometheus']);

function parseArgs(argv: readonly string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument ${JSON.stringify(argv[i])}`);
    const value = m[2] ?? (FLAGS.has(m[1]) ? 'true' : argv[++i]);
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    args.set(m[1], value);
  }
  return args;
}

function positiveInt(args: Map<string, string>, name: string): number | undefined {
  const v = args.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got ${JSON.stringify(v)}`);
  return n;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const known = new Set(['scenario', 'profile', 'kubeconfig-out', 'port', 'context', 'extra-contexts', 'namespaces', 'pods', 'clusters', 'prometheus', 'scrape-interval']);
  for (const k of args.keys()) if (!known.has(k)) throw new Error(`unknown option --${k}`);
  const scenario = (args.get('scenario') ?? 'incident') as ScenarioName;
  const kubeconfigOut = args.get('kubeconfig-out');
  if (!kubeconfigOut) throw new Error('--kubeconfig-out PATH is required');
  const standIn = await startStandIn({
    scenario,
    profile: (args.get('profile') ?? 'default') as MeshProfileName,
    kubeconfigOut,
    port: positiveInt(args, 'port'),
    contextName: args.get('context'),
    extraContexts: (args.get('extra-contexts') ?? '').split(',').filter(Boolean).map((name) => ({ name })),
    scaleKnobs: {
      ...(args.has('namespaces') ? { namespaces: positiveInt(args, 'namespaces') } : {}),
      ...(args.has('pods') ? { podsPerNamespace: positiveInt(args, 'pods') } : {}),
      ...(args.has('clusters') ? { clustersPerPod: positiveInt(args, 'clusters') } : {}),
    },
  });
  console.log(`url ${standIn.url}`);
  console.log(`kubeconfig ${standIn.kubeconfigPath}`);
  console.log(`context ${standIn.contextName}`);
  const prometheus = args.get('prometheus') === 'true' ? await startStandInPrometheus(standIn.model, { scrapeIntervalSeconds: positiveInt(args, 'scrape-interval') }) : null;
  if (prometheus) console.log(`prometheus ${prometheus.url}`);
  console.log('ready');
  const stop = (signal: string) => {
    console.log(`stopping (${signal})`);
    void (prometheus?.close() ?? Promise.resolve()).then(() => standIn.close()).then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: Error) => {
  console.error(`mesh-doctor stand-in: ${err.message}\n${USAGE}`);
  process.exit(2);
});
