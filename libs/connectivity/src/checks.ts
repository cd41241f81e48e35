import type { Check } from './check';
import { containerRegistry } from './checks/container-registry';
import { grafana } from './checks/grafana';
import { http } from './checks/http';
import { kubernetes } from './checks/kubernetes';
import { prometheus } from './checks/prometheus';
import type { CheckKind } from './target';

export const CHECKS: Record<CheckKind, Check> = {
  kubernetes,
  prometheus,
  grafana,
  'container-registry': containerRegistry,
  http,
};
