import type { V1Service } from '@kubernetes/client-node';
import { MONITORING_SERVICES, type StandInService } from '@clp/testing';
import { findMonitoring } from './find-monitoring';

const serviceOf = (s: StandInService): V1Service => ({
  metadata: { name: s.name, namespace: s.namespace, labels: s.labels },
  spec: { clusterIP: s.clusterIP ?? '10.96.0.10', ports: s.ports.map((p) => ({ ...p, targetPort: p.targetPort ?? p.port })) },
});

const found = (services: StandInService[]) => findMonitoring(services.map(serviceOf)).map((f) => `${f.kind} ${f.url}`);

describe('findMonitoring', () => {
  it('finds one Prometheus and one Grafana among their look-alikes, with in-cluster URLs', () => {
    expect(findMonitoring(MONITORING_SERVICES.map(serviceOf))).toEqual([
      { kind: 'prometheus', namespace: 'monitoring', service: 'prometheus-server', port: 9090, url: 'http://prometheus-server.monitoring.svc:9090' },
      // Grafana's chart serves 3000 behind Service port 80: the URL uses the Service's port.
      { kind: 'grafana', namespace: 'monitoring', service: 'grafana', port: 80, url: 'http://grafana.monitoring.svc:80' },
    ]);
  });

  it('recognises well-known names, and a name holding the kind on its default port', () => {
    expect(
      found([
        { namespace: 'm', name: 'kube-prometheus-stack-prometheus', ports: [{ name: 'http-web', port: 9090 }] },
        { namespace: 'obs', name: 'my-grafana', ports: [{ name: 'web', port: 3000 }] },
        { namespace: 'obs', name: 'my-prometheus', ports: [{ port: 8080 }] },
      ]),
    ).toEqual(['prometheus http://kube-prometheus-stack-prometheus.m.svc:9090', 'grafana http://my-grafana.obs.svc:3000']);
  });

  it("leaves out a chart's other components, headless and portless Services, and a bare port 9090 or 3000", () => {
    expect(
      found([
        { namespace: 'm', name: 'prom-alertmanager', labels: { app: 'prometheus', component: 'alertmanager' }, ports: [{ port: 9093 }] },
        { namespace: 'm', name: 'prom-server', labels: { app: 'prometheus', component: 'server' }, ports: [{ name: 'http', port: 80, targetPort: 9090 }] },
        { namespace: 'm', name: 'grafana', labels: { app: 'grafana' }, ports: [] },
        { namespace: 'm', name: 'grafana-headless', labels: { app: 'grafana' }, ports: [{ port: 3000 }], clusterIP: 'None' },
        { namespace: 'shop', name: 'api', ports: [{ port: 9090 }] },
      ]),
    ).toEqual(['prometheus http://prom-server.m.svc:80']);
  });
});
