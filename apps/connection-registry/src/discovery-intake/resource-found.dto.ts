import { Type } from 'class-transformer';
import { Equals, IsIn, IsObject, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
import type { ResourceFound } from '@clp/contracts';
import { KINDS } from '@clp/connection-definitions';

type ResourceFoundFields = ResourceFound['data'];

class ResourceFoundData implements ResourceFoundFields {
  @IsString()
  @Length(1, 128)
  organization_id!: string;

  @IsIn(KINDS)
  kind!: string;

  @IsString()
  @Length(1, 100)
  name!: string;

  @IsObject()
  metadata!: Record<string, unknown>;

  @IsOptional()
  @IsUUID()
  credential_id?: string;

  @IsString()
  @Length(1, 64)
  source!: string;
}

class DiscoveryMetadata {
  @IsUUID()
  event_id!: string;

  @IsString()
  occurred_at!: string;
}

/** A discovery report as discovery publishes it on `discovery.events.<kind>.ConnectionDiscovered`. */
export class ResourceFoundDto {
  @Equals('ConnectionDiscovered')
  type!: 'ConnectionDiscovered';

  @ValidateNested()
  @Type(() => ResourceFoundData)
  data!: ResourceFoundData;

  @ValidateNested()
  @Type(() => DiscoveryMetadata)
  metadata!: DiscoveryMetadata;
}
