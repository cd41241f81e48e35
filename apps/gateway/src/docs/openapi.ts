import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_UI = 'api/docs';
export const OPENAPI_JSON = 'api/docs-json';

/** The OpenAPI document, generated from the controllers and DTOs: UI at /api/docs, JSON at /api/docs-json. */
export const serveOpenApi = (app: NestFastifyApplication): void => {
  const config = new DocumentBuilder()
    .setTitle('Connection lifecycle platform')
    .setDescription(
      'Connections, their definitions and credentials. Every route but health, metrics and these docs needs ' +
        '`Authorization: Bearer <JWT>` (HS256; claims sub, org, role). Errors: `{"error": {"code", "message", "details"}}`.',
    )
    .setVersion(process.env.npm_package_version ?? '0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(OPENAPI_UI, app, document, { jsonDocumentUrl: OPENAPI_JSON, yamlDocumentUrl: 'api/docs-yaml' });
};
