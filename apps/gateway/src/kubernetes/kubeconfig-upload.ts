import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnsupportedMediaTypeException } from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { KUBECONFIG_MAX_LENGTH, ReplyError } from '@clp/contracts';
import { replyValidationPipe, validationFailed } from '@clp/messaging';

export const KUBECONFIG_ROUTE = '/api/system/kubernetes';
export const KUBECONFIG_FIELD = 'k8sfile';

/** `POST /api/system/kubernetes` with a JSON body. */
export class KubeconfigUploadDto {
  @ApiProperty({ description: 'the kubeconfig text (YAML or JSON)', maxLength: KUBECONFIG_MAX_LENGTH })
  @IsString()
  @Length(1, KUBECONFIG_MAX_LENGTH)
  kubeconfig!: string;
}

/** The multipart limits: one part, the kubeconfig, as a file or a field. */
export const MULTIPART_LIMITS = { files: 1, fields: 1, parts: 1, fileSize: KUBECONFIG_MAX_LENGTH, fieldSize: KUBECONFIG_MAX_LENGTH };

const refuse = (field: string, reason: string) => validationFailed([{ field, reasons: [reason] }]);

/** Multipart is read on the upload route only; elsewhere it is another media type than JSON. */
export const acceptMultipartOnUploadOnly = (fastify: FastifyInstance): void => {
  fastify.addHook('preValidation', async (request) => {
    // The error filter answers it as every other media type refused (415, application/json accepted).
    if (request.isMultipart() && request.routeOptions.url !== KUBECONFIG_ROUTE) throw new UnsupportedMediaTypeException();
  });
};

// The errors of @fastify/multipart and busboy carry codes; their messages are not ours to show.
const multipartProblem = (error: unknown): ReplyError => {
  const code = (error as { code?: string })?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return refuse(KUBECONFIG_FIELD, `must be at most ${KUBECONFIG_MAX_LENGTH} bytes`);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
    return refuse('body', `must hold one part, the kubeconfig as ${KUBECONFIG_FIELD}`);
  }
  return refuse('body', 'is not a readable multipart body');
};

const readMultipart = async (request: FastifyRequest): Promise<string> => {
  let text: string | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.fieldname !== KUBECONFIG_FIELD) throw refuse(part.fieldname.slice(0, 64), 'should not exist');
      if (part.type === 'file') {
        text = (await part.toBuffer()).toString('utf8');
      } else {
        if (part.valueTruncated) throw refuse(KUBECONFIG_FIELD, `must be at most ${KUBECONFIG_MAX_LENGTH} bytes`);
        text = String(part.value);
      }
    }
  } catch (error) {
    throw error instanceof ReplyError ? error : multipartProblem(error);
  }
  if (!text) throw refuse(KUBECONFIG_FIELD, `the kubeconfig is missing: send it as the multipart field ${KUBECONFIG_FIELD}`);
  return text;
};

/** The kubeconfig of an upload: the multipart field `k8sfile` (a file or a plain field), or JSON `{ "kubeconfig": "…" }`. */
export const kubeconfigOf = async (request: FastifyRequest): Promise<string> => {
  if (request.isMultipart()) return readMultipart(request);
  const body = (await replyValidationPipe().transform(request.body ?? {}, { type: 'body', metatype: KubeconfigUploadDto })) as KubeconfigUploadDto;
  return body.kubeconfig;
};
