// The Kubernetes calls the worker makes (activities/), as RBAC rules: what deploy/'s Role must grant, no more.
// pods: objects.ts create/read/list/delete, pods.ts watch (fieldSelector) + get; services: create, read (cluster IP,
// NodePort), list, delete; secrets: the same + create.ts's ownerReference patch; resourcequotas: quota.ts's list.
export const DRIVER_ROLE_RULES = [
  { apiGroups: [''], resources: ['pods'], verbs: ['create', 'get', 'list', 'watch', 'delete'] },
  { apiGroups: [''], resources: ['services'], verbs: ['create', 'get', 'list', 'delete'] },
  { apiGroups: [''], resources: ['secrets'], verbs: ['create', 'get', 'list', 'patch', 'delete'] },
  { apiGroups: [''], resources: ['resourcequotas'], verbs: ['list'] },
];

/** The debug Route (debug.ts, cleanup.ts, sweeper.ts), and OpenShift's check on a Route that sets spec.host. */
export const ROUTE_RULES = [
  { apiGroups: ['route.openshift.io'], resources: ['routes'], verbs: ['create', 'get', 'list', 'delete'] },
  { apiGroups: ['route.openshift.io'], resources: ['routes/custom-host'], verbs: ['create'] },
];

export interface Access {
  verb: string;
  resource: string;
  group?: string;
  subresource?: string;
  /** '' = cluster-wide; undefined = the driver's namespace. */
  namespace?: string;
}

/** What the driver never does: each must be refused to its account, or the Role is wider than it needs. */
export const NOT_NEEDED: Access[] = [
  { verb: 'delete', resource: 'namespaces', namespace: '' },
  { verb: 'list', resource: 'secrets', namespace: '' },
  { verb: 'list', resource: 'pods', namespace: '' },
  { verb: 'create', resource: 'deployments', group: 'apps' },
  { verb: 'update', resource: 'pods' },
  { verb: 'patch', resource: 'pods' },
  { verb: 'patch', resource: 'pods', subresource: 'status' },
  { verb: 'create', resource: 'pods', subresource: 'exec' },
  { verb: 'get', resource: 'pods', subresource: 'log' },
  { verb: 'update', resource: 'secrets' },
  { verb: 'watch', resource: 'secrets' },
  { verb: 'deletecollection', resource: 'pods' },
  { verb: 'patch', resource: 'services' },
  { verb: 'create', resource: 'configmaps' },
  { verb: 'create', resource: 'serviceaccounts', subresource: 'token' },
  { verb: 'create', resource: 'rolebindings', group: 'rbac.authorization.k8s.io' },
  { verb: 'escalate', resource: 'roles', group: 'rbac.authorization.k8s.io' },
  { verb: 'bind', resource: 'roles', group: 'rbac.authorization.k8s.io' },
  { verb: 'update', resource: 'routes', group: 'route.openshift.io' },
  { verb: 'get', resource: 'resourcequotas' },
];

/** Every (verb, resource) the Role grants, as accesses to check the other way round. */
export function grantedAccesses(rules: typeof DRIVER_ROLE_RULES): Access[] {
  return rules.flatMap((rule) =>
    rule.resources.flatMap((resource) => {
      const [name, subresource] = resource.split('/');
      return rule.verbs.map((verb) => ({ verb, resource: name, group: rule.apiGroups[0], subresource }));
    }),
  );
}
