import { IntersectionType, PartialType } from '@nestjs/mapped-types';
import { IsObject, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import type { CreateWorkspaceRequest, LinkRequest, UpdateWorkspaceRequest, WorkspaceRef } from '@clp/contracts';
import { CallerRequest, WhenPresent } from '@clp/messaging';
import { ListRequest } from '../shell/command-context';

/** A workspace's own fields: required on create, each optional on update. */
class WorkspaceFields {
  @IsString()
  @Length(1, 100)
  name!: string;

  @WhenPresent()
  @IsString()
  @MaxLength(1000)
  description?: string;

  /** On update, replaces the metadata. */
  @WhenPresent()
  @IsObject()
  metadata?: Record<string, unknown>;
}

export class CreateWorkspaceDto extends IntersectionType(CallerRequest, WorkspaceFields) implements CreateWorkspaceRequest {}

export class WorkspaceRefDto extends CallerRequest implements WorkspaceRef {
  @IsUUID()
  workspace_id!: string;
}

/** The fields to change (a null is refused like any bad value). */
export class UpdateWorkspaceDto
  extends IntersectionType(WorkspaceRefDto, PartialType(WorkspaceFields, { skipNullProperties: false }))
  implements UpdateWorkspaceRequest {}

export class LinkDto extends WorkspaceRefDto implements LinkRequest {
  @IsUUID()
  environment_id!: string;
}

export class WorkspaceListDto extends ListRequest implements WorkspaceRef {
  @IsUUID()
  workspace_id!: string;
}
