// deploy/ rendered by the real kustomize (tools/kustomize.ts), as `kubectl apply -k` would, and read back as objects.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kustomizeBuild } from '../../tools/kustomize';

export type Manifest = Record<string, any>;
export type Overlay = 'openshift' | 'kubernetes';

export const DEPLOY_DIR = resolve(__dirname, '../../deploy');

/** `kustomize build deploy/overlays/<overlay>`; with `namespace`, through a kustomization that sets it (as a user's own would). */
export async function renderOverlay(overlay: Overlay, namespace?: string): Promise<Manifest[]> {
  const target = join(DEPLOY_DIR, 'overlays', overlay);
  let yaml: string;
  if (!namespace) {
    yaml = await kustomizeBuild(target);
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'kustomization-'));
    try {
      // kustomize takes bases by relative path only.
      writeFileSync(join(dir, 'kustomization.yaml'), JSON.stringify({ namespace, resources: [relative(dir, target)] }));
      yaml = await kustomizeBuild(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return parseAllDocuments(yaml).map((document) => document.toJS() as Manifest);
}

export const ofKind = (objects: Manifest[], kind: string): Manifest[] => objects.filter((o) => o.kind === kind);

export function named(objects: Manifest[], kind: string, name: string): Manifest {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`no ${kind}/${name} in the rendered manifests`);
  return found;
}

export const DEPLOYMENTS = { api: 'environment-driver-api', worker: 'environment-driver-worker' } as const;

/** The one container of a Deployment. */
export const containerOf = (deployment: Manifest): Manifest => deployment.spec.template.spec.containers[0];

/** Every variable a Deployment's container gets: its `env` and the keys of the ConfigMaps in its `envFrom`. */
export function variablesOf(objects: Manifest[], deployment: Manifest): Map<string, Manifest> {
  const container = containerOf(deployment);
  const variables = new Map<string, Manifest>();
  for (const source of container.envFrom ?? []) {
    const configMap = named(objects, 'ConfigMap', source.configMapRef.name);
    for (const [name, value] of Object.entries(configMap.data ?? {})) variables.set(name, { name, value });
  }
  for (const entry of container.env ?? []) variables.set(entry.name, entry);
  return variables;
}
