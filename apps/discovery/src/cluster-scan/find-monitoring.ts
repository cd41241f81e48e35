import type { V1Service, V1ServicePort } from '@kubernetes/client-node';

/** A Service recognised as a Prometheus or a Grafana, with the in-cluster URL it answers on. */
export interface MonitoringService {
  kind: 'prometheus' | 'grafana';
  namespace: string;
  service: string;
  port: number;
  url: string;
}

interface Fingerprint {
  kind: MonitoringService['kind'];
  /** Service names the common charts and operators give it. */
  names: string[];
  /** The port it listens on by default. */
  port: number;
}

const FINGERPRINTS: Fingerprint[] = [
  { kind: 'prometheus', names: ['prometheus', 'prometheus-server', 'prometheus-k8s', 'kube-prometheus-stack-prometheus'], port: 9090 },
  { kind: 'grafana', names: ['grafana', 'kube-prometheus-stack-grafana'], port: 3000 },
];

// The labels that name an application, most specific first.
const NAME_LABELS = ['app.kubernetes.io/name', 'app', 'k8s-app'];
// Charts label every part of a release with the application's name and tell the parts apart by
// component (`app: prometheus, component: alertmanager`): only the server is the kind itself.
const COMPONENT_LABELS = ['app.kubernetes.io/component', 'component'];
const WEB_PORT_NAMES = /^(http|https|web|service|http-web)$/;

const listensOn = (port: V1ServicePort, number: number): boolean => port.port === number || port.targetPort === number || port.targetPort === String(number);

/**
 * Which kind a Service is, if any: its name label says so exactly (`app.kubernetes.io/name:
 * prometheus`, not `prometheus-node-exporter`), or its name is a well-known one, or its name holds
 * the kind and it listens on the kind's default port. A port alone proves nothing (3000 is every
 * second web app's).
 */
const fingerprintOf = (service: V1Service): Fingerprint | undefined => {
  const name = service.metadata?.name ?? '';
  const labels = service.metadata?.labels ?? {};
  const ports = service.spec?.ports ?? [];
  const component = COMPONENT_LABELS.map((label) => labels[label]).find((value) => value !== undefined);
  return FINGERPRINTS.find(
    (f) =>
      (NAME_LABELS.some((label) => labels[label] === f.kind) && (component === undefined || component === 'server' || component === f.kind)) ||
      f.names.includes(name) ||
      (name.includes(f.kind) && ports.some((port) => listensOn(port, f.port))),
  );
};

/** The port to reach it on: the kind's default (as port or target port), else the web one, else the first. */
const portOf = (service: V1Service, fingerprint: Fingerprint): V1ServicePort | undefined => {
  const ports = service.spec?.ports ?? [];
  return ports.find((port) => listensOn(port, fingerprint.port)) ?? ports.find((port) => WEB_PORT_NAMES.test(port.name ?? '')) ?? ports[0];
};

/**
 * The Prometheus and Grafana servers among a cluster's Services. Headless Services (an
 * operator's `prometheus-operated`) and external names front the same servers or none, so they are
 * left out; a Service without ports cannot be reached.
 */
export const findMonitoring = (services: V1Service[]): MonitoringService[] =>
  services.flatMap((service) => {
    const name = service.metadata?.name;
    const namespace = service.metadata?.namespace;
    if (!name || !namespace || service.spec?.clusterIP === 'None' || service.spec?.type === 'ExternalName') return [];
    const fingerprint = fingerprintOf(service);
    const port = fingerprint && portOf(service, fingerprint);
    if (!fingerprint || !port) return [];
    return [{ kind: fingerprint.kind, namespace, service: name, port: port.port, url: `http://${name}.${namespace}.svc:${port.port}` }];
  });
