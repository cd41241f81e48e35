import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { EDGE_ERROR_STATUS } from '../errors/error-response';
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

type Operation = { security?: unknown[]; parameters?: { in: string; name: string }[]; requestBody?: unknown; responses?: Record<string, unknown> };

const ERROR_SCHEMA = { $ref: '#/components/schemas/ErrorDoc' };

/** The HTTP edge's answers (errors/edge.ts), which any operation may give before its handler runs. */
const EDGE_RESPONSES: Array<{ status: number; description: string; withBody?: true }> = [
  { status: 400, description: 'validation_failed: a field or query parameter the route does not take, or a value it refuses (details.fields)' },
  { status: EDGE_ERROR_STATUS.uri_too_long, description: 'uri_too_long: the URL, or one path segment, is over the limit' },
  { status: EDGE_ERROR_STATUS.headers_too_large, description: 'headers_too_large: the request headers are over the limit' },
  { status: EDGE_ERROR_STATUS.payload_too_large, description: 'payload_too_large: the body is over the limit (read and discarded)', withBody: true },
  { status: EDGE_ERROR_STATUS.unsupported_media_type, description: 'unsupported_media_type: the body is not of the media type the route takes', withBody: true },
];

/** Adds the edge's answers to every operation that does not say them already (a route's own 400 keeps its words). */
const describeTheEdge = (operation: Operation): void => {
  operation.responses ??= {};
  for (const { status, description, withBody } of EDGE_RESPONSES) {
    if (withBody && !operation.requestBody) continue;
    operation.responses[status] ??= { description, content: { 'application/json': { schema: ERROR_SCHEMA } } };
  }
};

/**
 * What the generator cannot say from the decorators, so that the document says exactly what the
 * server accepts: request bodies refuse unknown fields (the validation pipe's `forbidNonWhitelisted`)
 * and take Meshery's camelCase spellings too (`acceptMesherySpellings`); routes that declare no
 * security are the public ones (`@Public()`); every operation may answer the HTTP edge's refusals.
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
    for (const operation of Object.values(operations) as Operation[]) {
      if (typeof operation !== 'object' || operation === null) continue;
      operation.security ??= [];
      describeTheEdge(operation);
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
