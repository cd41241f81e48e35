import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { otherSpellingsOf } from '../validation/spellings';

export const OPENAPI_UI = 'api/docs';
export const OPENAPI_JSON = 'api/docs-json';

type Schema = { $ref?: string; properties?: Record<string, unknown>; additionalProperties?: unknown };

const requestBodySchemas = (document: OpenAPIObject): Schema[] => {
  const names = new Set<string>();
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations) as { requestBody?: { content?: Record<string, { schema?: Schema }> } }[]) {
      for (const media of Object.values(operation?.requestBody?.content ?? {})) {
        const ref = media.schema?.$ref;
        if (ref) names.add(ref.replace('#/components/schemas/', ''));
      }
    }
  }
  return [...names].map((name) => document.components?.schemas?.[name] as Schema).filter(Boolean);
};

/**
 * What the generator cannot say from the decorators, so that the document says exactly what the
 * server accepts: request bodies refuse unknown fields (the validation pipe's `forbidNonWhitelisted`)
 * and take Meshery's camelCase spellings too (`acceptMesherySpellings`); routes that declare no
 * security are the public ones (`@Public()`).
 */
export const describeWhatTheServerAccepts = (document: OpenAPIObject): OpenAPIObject => {
  for (const schema of requestBodySchemas(document)) {
    schema.additionalProperties = false;
    const properties = schema.properties ?? {};
    for (const [name, property] of Object.entries(properties)) {
      for (const other of otherSpellingsOf(name)) {
        properties[other] ??= { ...(property as object), description: `the same as ${name} (Meshery's camelCase spelling)` };
      }
    }
  }
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations) as { security?: unknown[]; parameters?: { in: string; name: string }[] }[]) {
      if (typeof operation !== 'object' || operation === null) continue;
      operation.security ??= [];
      const parameters = operation.parameters ?? [];
      for (const parameter of [...parameters]) {
        if (parameter.in !== 'query') continue;
        for (const other of otherSpellingsOf(parameter.name)) {
          if (parameters.some((p) => p.in === 'query' && p.name === other)) continue;
          parameters.push({ ...parameter, name: other, description: `the same as ${parameter.name} (another spelling Meshery's clients send)` } as typeof parameter);
        }
      }
    }
  }
  return document;
};

/** The OpenAPI document, generated from the controllers and DTOs: UI at /api/docs, JSON at /api/docs-json. */
export const serveOpenApi = (app: NestFastifyApplication): void => {
  const config = new DocumentBuilder()
    .setTitle('Connection lifecycle platform')
    .setDescription(
      'Connections, their definitions and credentials, environments, workspaces and the notification center: ' +
        "a drop-in for Meshery's API. Every route but health, metrics and these docs needs " +
        '`Authorization: Bearer <JWT>` (HS256; claims sub, org, role). Errors: `{"error": {"code", "message", "details"}}`. ' +
        'Bodies and queries also take the camelCase spellings of their fields (`subType`, `pageSize`).',
    )
    .setVersion(process.env.npm_package_version ?? '0.1.0')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/', 'this gateway (with npm start: http://localhost:8080)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = describeWhatTheServerAccepts(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup(OPENAPI_UI, app, document, { jsonDocumentUrl: OPENAPI_JSON, yamlDocumentUrl: 'api/docs-yaml' });
};
