// A real Kubernetes control plane for tests and laptops: etcd + kube-apiserver on loopback, envtest style.
// No scheduler, no kubelet, no controllers: pods stay Pending until someone patches their status.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { freePort, startProcess, waitUntil, type ManagedProcess } from './processes';
import { supervise, type Supervised, type SupervisionOptions } from './supervisor';

export interface ControlPlane {
  server: string;
  adminToken: string;
  /** A user with no RBAC bindings: every request it makes is a real 403. */
  userToken: string;
  kubeconfig: string;
  userKubeconfig: string;
  /** etcd and kube-apiserver, each restarted with the same ports, data dir, certificates and tokens. */
  children: Supervised[];
  stop(): Promise<void>;
}

/**
 * Service cluster IPs come from 127.0.0.0/16: every loopback address answers on this machine, so a test
 * "build agent" listening on a Service's clusterIP is reachable exactly as through kube-proxy.
 */
export const SERVICE_CLUSTER_IP_RANGE = '127.0.0.0/16';

export interface ControlPlaneOptions {
  /** Install our OpenShift Route CRD (default true); false gives a plain Kubernetes cluster without the Route API. */
  routeCrd?: boolean;
  /** Restart etcd and kube-apiserver when they die (local mode). */
  supervision?: SupervisionOptions;
}

export async function startControlPlane(
  bin: { kubeApiserver: string; etcd: string },
  dir: string,
  { routeCrd = true, supervision = {} }: ControlPlaneOptions = {},
): Promise<ControlPlane> {
  mkdirSync(dir, { recursive: true });
  const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
  const adminToken = randomBytes(16).toString('hex');
  const userToken = randomBytes(16).toString('hex');
  writeFileSync(join(dir, 'tokens.csv'), `${adminToken},admin,1,"system:masters"\n${userToken},developer,2\n`, {
    mode: 0o600,
  });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, 'sa.key'), privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  writeFileSync(join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));

  const etcdArgs = [
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
    `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
    `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
    '--unsafe-no-fsync',
    '--log-level=warn',
  ];
  const apiserverArgs = [
    `--etcd-servers=http://127.0.0.1:${etcdClient}`,
    `--token-auth-file=${join(dir, 'tokens.csv')}`,
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    '--disable-admission-plugins=ServiceAccount',
    '--advertise-address=127.0.0.1',
    '--bind-address=127.0.0.1',
    `--secure-port=${apiPort}`,
    // Certificates are generated into cert-dir once and reused by every restart.
    `--cert-dir=${join(dir, 'certs')}`,
    `--service-account-key-file=${join(dir, 'sa.pub')}`,
    `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
    '--service-account-issuer=https://127.0.0.1',
    '--authorization-mode=RBAC',
    '--allow-privileged=true',
    '--service-node-port-range=30000-32767',
  ];
  const server = `https://127.0.0.1:${apiPort}`;
  const apiserverReady = (child: ManagedProcess) =>
    waitUntil(
      'kube-apiserver /readyz',
      async () => (await call(server, adminToken, 'GET', '/readyz')).status === 200,
      90_000,
      child,
    );
  const started = await Promise.allSettled([
    supervise(
      {
        name: 'etcd',
        spawn: () => startProcess('etcd', bin.etcd, etcdArgs, join(dir, 'etcd.log')),
        ready: (child) => waitUntil('etcd /health', () => etcdHealthy(etcdClient), 60_000, child),
      },
      supervision,
    ),
    supervise(
      {
        name: 'kube-apiserver',
        spawn: () => startProcess('kube-apiserver', bin.kubeApiserver, apiserverArgs, join(dir, 'kube-apiserver.log')),
        ready: apiserverReady,
      },
      supervision,
    ),
  ]);
  const children = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async () => {
    for (const child of children) child.halt();
    for (const child of [...children].reverse()) await child.stop(); // apiserver before etcd
  };
  try {
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    if (routeCrd) await installRouteCrd(server, adminToken);
  } catch (error) {
    await stop();
    throw error;
  }
  const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig'), server, 'admin', adminToken);
  const userKubeconfig = writeKubeconfig(join(dir, 'kubeconfig-developer'), server, 'developer', userToken);
  return { server, adminToken, userToken, kubeconfig, userKubeconfig, children, stop };
}

/** Beside this file when run from source; from compiled JS (dist/), back in the source tree. */
function routeCrdPath(): string {
  const beside = join(__dirname, 'manifests/route-crd.yaml');
  return existsSync(beside) ? beside : join(__dirname, '../../../src/local/manifests/route-crd.yaml');
}

async function etcdHealthy(clientPort: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${clientPort}/health`, { signal: AbortSignal.timeout(2000) });
  return response.ok && ((await response.json()) as { health?: string }).health === 'true';
}

async function installRouteCrd(server: string, token: string): Promise<void> {
  const [crd] = parseAllDocuments(readFileSync(routeCrdPath(), 'utf8')).map((d) => d.toJS());
  const path = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const created = await call(server, token, 'POST', path, crd);
  if (created.status !== 201 && created.status !== 409) throw new Error(`Route CRD: ${created.status} ${created.body}`);
  await waitUntil(
    'Route CRD established',
    async () => {
      const res = await call(server, token, 'GET', '/apis/route.openshift.io/v1/routes');
      return res.status === 200;
    },
    30_000,
  );
}

function writeKubeconfig(path: string, server: string, user: string, token: string): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: 'local', context: { cluster: 'local', user, namespace: 'default' } }],
    'current-context': 'local',
  };
  writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 });
  return path;
}

/** A minimal HTTPS call for bootstrapping (the apiserver's certificate is self-signed). */
export function call(
  server: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server}${path}`,
      {
        method,
        rejectUnauthorized: false,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        timeout: 5000,
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
