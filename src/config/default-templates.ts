// Our default templates, written from the description in contract §7. Deployments usually bring their own.
// Values are single-quoted so a rendered value stays one YAML string (only `'` could break it); containerPort
// and targetPort stay unquoted because Kubernetes wants integers there. Every object carries the labels a
// sweeper needs to find it: environment, managed-by and the environment id.

import { POD_ENV_PROPERTIES } from '../../workflows/definitions';

const LABELS = `
    environment: '%{environment-label}'
    app.kubernetes.io/managed-by: pnc-environment-driver
    pnc-environment-id: '%{environment-id}'`;

// The build agent's env vars filled from template properties: one table, POD_ENV_PROPERTIES.
const PROPERTY_ENV = Object.entries(POD_ENV_PROPERTIES)
  .map(([name, property]) => `        - name: ${name}\n          value: '%{${property}}'`)
  .join('\n');

// Secrets come from the environment's Secret, so they never appear in the pod spec.
export const DEFAULT_POD_TEMPLATE = `apiVersion: v1
kind: Pod
metadata:
  name: '%{pod-name}'
  labels:
    pnc-build-agent-pod: '%{pod-name}'${LABELS}
spec:
  nodeSelector:
    acceptpncbuildagent: 'true'
  containers:
    - name: pnc-build-agent-container
      image: '%{image}'
      imagePullPolicy: Always
      ports:
        - name: http
          containerPort: %{containerPort}
          protocol: TCP
      env:
${PROPERTY_ENV}
        - name: workerUserPassword
          valueFrom:
            secretKeyRef:
              name: '%{secret-name}'
              key: workerUserPassword
              optional: true
        - name: accessToken
          valueFrom:
            secretKeyRef:
              name: '%{secret-name}'
              key: accessToken
              # No token fetched (Indy disabled) means no Secret: the container must start anyway.
              optional: true
        - name: buildAgentArguments
          value: '-b 0.0.0.0 -p %{containerPort} -pl FILE -l /tmp -c %{buildAgentContextPath}'
        - name: buildAgentJvmProperties
          value: '-DlogMDC=processContext:%{processContext};tmp:%{tmp};exp:%{exp}'
      resources:
        requests:
          cpu: '2000m'
          memory: '%{resourcesMemory}'
        limits:
          cpu: '2000m'
          memory: '%{resourcesMemory}'
      securityContext:
        capabilities:
          add:
            - NET_ADMIN
  restartPolicy: Never
  activeDeadlineSeconds: 86400
  dnsPolicy: ClusterFirst
`;

export const DEFAULT_SERVICE_TEMPLATE = `apiVersion: v1
kind: Service
metadata:
  name: '%{service-name}'
  labels:${LABELS}
spec:
  ports:
    - name: '8080-tcp'
      protocol: TCP
      port: 80
      targetPort: %{containerPort}
  selector:
    pnc-build-agent-pod: '%{pod-name}'
`;

// Unlike the Java default, the ssh service is labelled too, so destroy and the sweeper find it.
export const DEFAULT_SSH_SERVICE_TEMPLATE = `apiVersion: v1
kind: Service
metadata:
  name: '%{ssh-service-name}'
  labels:${LABELS}
spec:
  type: NodePort
  ports:
    - name: '2222-ssh'
      protocol: TCP
      port: 2222
      targetPort: 2222
  selector:
    pnc-build-agent-pod: '%{pod-name}'
`;

export const DEFAULT_ROUTE_TEMPLATE = `apiVersion: route.openshift.io/v1
kind: Route
metadata:
  name: '%{route-name}'
  labels:${LABELS}
spec:
  host: '%{build-agent-host}'
  path: '%{route-path}'
  to:
    kind: Service
    name: '%{service-name}'
`;
