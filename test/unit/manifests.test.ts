// deploy/: what `kustomize build` renders for each overlay, checked against what the driver reads and does. That
// the apiserver accepts it and that the Role is enough and minimal is test/e2e/deploy-rbac.test.ts.
import { dirname, join } from 'node:path';
import { BIFROST_ENVIRONMENT_VARIABLES, CONFIG_ENVIRONMENT_VARIABLES, loadConfig } from '../../src/config';
import { TRACING_ENVIRONMENT_VARIABLES } from '../../src/telemetry/tracing-settings';
import {
  containerOf,
  DEPLOY_DIR,
  DEPLOYMENTS,
  named,
  ofKind,
  renderOverlay,
  variablesOf,
  type Manifest,
  type Overlay,
} from '../support/manifests';
import { DRIVER_ROLE_RULES, ROUTE_RULES } from '../support/driver-rbac';

/** src/main.ts exits by itself this long after SHUTDOWN_GRACE_SECONDS, whatever is still running. */
const HARD_STOP_AFTER_GRACE_SECONDS = 15;
const SECRET_VARIABLES = /^(PAYLOAD_CODEC_KEY|TEMPORAL_API_KEY|CALLBACK_AUTHORIZATION)$|SECRET|TOKEN|PASSWORD/;
const OVERLAYS: Overlay[] = ['openshift', 'kubernetes'];

const rendered = new Map<Overlay, Manifest[]>();
beforeAll(async () => {
  // The first run may build kustomize from the Go module proxy (~30 s).
  for (const overlay of OVERLAYS) rendered.set(overlay, await renderOverlay(overlay));
}, 600_000);

describe.each(OVERLAYS)('deploy/overlays/%s', (overlay) => {
  const objects = () => rendered.get(overlay)!;
  const deployment = (role: keyof typeof DEPLOYMENTS) => named(objects(), 'Deployment', DEPLOYMENTS[role]);

  it('has every part of the topology, one namespace, nothing cluster-wide and no Secret values', () => {
    const kinds = objects().map((o) => o.kind);
    for (const kind of ['ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap', 'Deployment', 'Service'])
      expect(kinds).toContain(kind);
    expect(ofKind(objects(), 'PodDisruptionBudget')).toHaveLength(2);
    expect(ofKind(objects(), 'NetworkPolicy')).toHaveLength(2);
    expect(kinds).toContain(overlay === 'openshift' ? 'Route' : 'Ingress');
    expect(kinds).not.toContain(overlay === 'openshift' ? 'Ingress' : 'Route');
    expect(kinds.filter((k) => /^Cluster|^Namespace$|^Secret$/.test(k))).toEqual([]);
    expect(new Set(objects().map((o) => o.metadata.namespace))).toEqual(new Set(['environment-driver']));
  });

  it('grants the worker exactly the driver’s rules, no wildcard, bound to its account only', () => {
    const role = named(objects(), 'Role', 'environment-driver');
    const expected = overlay === 'openshift' ? [...DRIVER_ROLE_RULES, ...ROUTE_RULES] : DRIVER_ROLE_RULES;
    expect(role.rules).toEqual(expected);
    expect(JSON.stringify(role.rules)).not.toContain('*');
    const binding = named(objects(), 'RoleBinding', 'environment-driver');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'environment-driver',
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'environment-driver', namespace: 'environment-driver' },
    ]);
    expect(deployment('worker').spec.template.spec.serviceAccountName).toBe('environment-driver');
    // The API never calls Kubernetes: an account without bindings, and no token in its pods.
    const api = deployment('api').spec.template.spec;
    expect(api.serviceAccountName).not.toBe('environment-driver');
    expect(api.automountServiceAccountToken).toBe(false);
    expect(named(objects(), 'ServiceAccount', api.serviceAccountName).automountServiceAccountToken).toBe(false);
  });

  it.each(['api', 'worker'] as const)('runs the %s role as the image does, hardened, probed, drained', (role) => {
    const spec = deployment(role).spec;
    const pod = spec.template.spec;
    const container = containerOf(deployment(role));
    expect(spec.replicas).toBe(2);
    expect(container.command).toEqual(['node', 'dist/src/main.js']);
    expect(variablesOf(objects(), deployment(role)).get('DRIVER_ROLE')?.value).toBe(role);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    for (const kind of ['requests', 'limits'])
      expect(Object.keys(container.resources[kind]).sort()).toEqual(['cpu', 'memory']);
    const port = variablesOf(objects(), deployment(role)).get('PORT')?.value;
    expect(container.ports).toEqual([{ name: 'http', containerPort: Number(port), protocol: 'TCP' }]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/q/health/live', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/q/health/ready', port: 'http' });
    // preStop, then SIGTERM: the driver drains for SHUTDOWN_GRACE_SECONDS and exits at most 15 s later.
    const grace = Number(variablesOf(objects(), deployment(role)).get('SHUTDOWN_GRACE_SECONDS')?.value);
    const preStop = container.lifecycle.preStop.sleep.seconds;
    expect(preStop).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStop + grace + HARD_STOP_AFTER_GRACE_SECONDS);
    // The root filesystem is read-only: the configuration is a mounted ConfigMap, /tmp an emptyDir.
    const configPath = String(variablesOf(objects(), deployment(role)).get('ENVIRONMENT_DRIVER_CONFIG')?.value);
    const mount = container.volumeMounts.find((m: Manifest) => m.mountPath === dirname(configPath));
    const volume = pod.volumes.find((v: Manifest) => v.name === mount?.name);
    expect(named(objects(), 'ConfigMap', volume.configMap.name).data).toHaveProperty([configPath.split('/').pop()!]);
    expect(pod.volumes.find((v: Manifest) => v.name === 'tmp')?.emptyDir).toBeDefined();
  });

  it('sets only variables the driver reads, and secrets only from optional Secret references', () => {
    const known = new Set([
      ...CONFIG_ENVIRONMENT_VARIABLES,
      ...BIFROST_ENVIRONMENT_VARIABLES,
      ...TRACING_ENVIRONMENT_VARIABLES,
    ]);
    for (const role of ['api', 'worker'] as const) {
      for (const [name, entry] of variablesOf(objects(), deployment(role))) {
        expect({ role, name, known: known.has(name) || /^ENVIRONMENT_DRIVER_[A-Z0-9_]+$/.test(name) }).toEqual({
          role,
          name,
          known: true,
        });
        if (SECRET_VARIABLES.test(name)) {
          expect({ name, valueFrom: entry.valueFrom }).toEqual({
            name,
            valueFrom: { secretKeyRef: expect.objectContaining({ optional: true }) },
          });
        }
      }
    }
    expect(variablesOf(objects(), deployment('worker')).get('KUBE_NAMESPACE')?.valueFrom).toEqual({
      fieldRef: { fieldPath: 'metadata.namespace' },
    });
    expect(variablesOf(objects(), deployment('api')).has('CALLBACK_AUTHORIZATION')).toBe(false);
  });

  it('is a configuration the driver accepts: the ConfigMap variables with the application.yaml file', () => {
    for (const role of ['api', 'worker'] as const) {
      const env: Record<string, string> = {};
      for (const [name, entry] of variablesOf(objects(), deployment(role)))
        if ('value' in entry) env[name] = entry.value;
      const config = loadConfig(env, { file: join(DEPLOY_DIR, 'base', 'application.yaml') });
      expect(config.role).toBe(role);
      expect(config.localMode).toBe(false);
      expect(config.auth.enabled).toBe(true);
    }
  });

  it('keeps one replica of each role through a drain and fences both roles’ traffic', () => {
    for (const role of ['api', 'worker'] as const) {
      const podLabels = deployment(role).spec.template.metadata.labels;
      const selects = (o: Manifest) =>
        Object.entries(o.spec.selector?.matchLabels ?? o.spec.podSelector.matchLabels).every(
          ([key, value]) => podLabels[key] === value,
        );
      const budgets = ofKind(objects(), 'PodDisruptionBudget').filter(selects);
      expect(budgets.map((b) => b.spec.minAvailable)).toEqual([1]);
      const [policy] = ofKind(objects(), 'NetworkPolicy').filter(selects);
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 8080 }] }]);
      const egressPorts = policy.spec.egress.flatMap((rule: Manifest) =>
        (rule.ports ?? []).map((p: Manifest) => p.port),
      );
      expect(egressPorts).toEqual(expect.arrayContaining([53, 7233, 443]));
    }
    const service = named(objects(), 'Service', 'environment-driver');
    expect(service.spec.selector).toEqual(expect.objectContaining({ 'app.kubernetes.io/component': 'api' }));
    const backend =
      overlay === 'openshift'
        ? named(objects(), 'Route', 'environment-driver').spec.to.name
        : named(objects(), 'Ingress', 'environment-driver').spec.rules[0].http.paths[0].backend.service.name;
    expect(backend).toBe('environment-driver');
  });
});
