import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorDoc } from './error.views';

const ERRORS: Record<number, string> = {
  400: 'validation_failed: the fields and why',
  401: 'unauthorized: no token, or an invalid or expired one',
  403: 'forbidden: the role does not allow it',
  404: 'not_found: none in the caller organization',
  409: 'invalid_transition (with the allowed targets) or conflict',
  422: 'connectivity_failed: the test result in details',
  503: 'unavailable: the registry did not answer in time',
};

/** The error answers of an authenticated route, in the envelope of design.md §10. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...(statuses.length ? statuses : Object.keys(ERRORS).map(Number)).map((status) =>
      ApiResponse({ status, description: ERRORS[status], type: ErrorDoc }),
    ),
  );
