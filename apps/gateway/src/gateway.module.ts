import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth/auth.guard';
import { DevLoginController } from './auth/dev-login.controller';
import { JWT_SECRET, TokenVerifier } from './auth/tokens';
import { GATEWAY_CONFIG, type GatewayConfig } from './config';
import { ConnectionsController } from './connections/connections.controller';
import { RegisterConnection } from './connections/register-connection';
import { UpdateConnection } from './connections/update-connection';
import { CredentialsController } from './credentials/credentials.controller';
import { DefinitionsController } from './definitions/definitions.controller';
import { EnvironmentClient } from './environments/environment-client';
import { EnvironmentsController } from './environments/environments.controller';
import { WorkspacesController } from './environments/workspaces.controller';
import { HealthController } from './health/health.controller';
import { Readiness } from './health/readiness';
import { DiscoveryClient } from './kubernetes/discovery-client';
import { KubernetesController } from './kubernetes/kubernetes.controller';
import { HttpMetrics } from './metrics/http-metrics';
import { MetricsController } from './metrics/metrics.controller';
import { LiveFeeds } from './notifications/live-feeds';
import { NotificationClient } from './notifications/notification-client';
import { NotificationsController } from './notifications/notifications.controller';
import { natsProviders } from './registry/registry-connection';
import { RegistryClient } from './registry/registry-client';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, jwtSecret: string, metrics: HttpMetrics): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [
        ConnectionsController,
        CredentialsController,
        DefinitionsController,
        KubernetesController,
        EnvironmentsController,
        WorkspacesController,
        NotificationsController,
        HealthController,
        MetricsController,
        DevLoginController,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: JWT_SECRET, useValue: jwtSecret },
        { provide: HttpMetrics, useValue: metrics },
        ...natsProviders(),
        TokenVerifier,
        { provide: APP_GUARD, useClass: AuthGuard },
        RegistryClient,
        DiscoveryClient,
        EnvironmentClient,
        NotificationClient,
        LiveFeeds,
        RegisterConnection,
        UpdateConnection,
        Readiness,
      ],
    };
  }
}
