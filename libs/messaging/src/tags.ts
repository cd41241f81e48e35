import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, ArrayUnique, IsArray, IsString, Length } from 'class-validator';

export const MAX_TAGS = 20;

/** A list of labels: at most 20, distinct, each 1 to 64 characters (the gateway and the services check the same). */
export const IsTags = () => applyDecorators(IsArray(), ArrayMaxSize(MAX_TAGS), ArrayUnique(), IsString({ each: true }), Length(1, 64, { each: true }));
