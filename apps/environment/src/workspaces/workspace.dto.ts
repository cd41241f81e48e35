import { IsString, IsUUID, Length, MaxLength } from 'class-validator';
import type { CreateWorkspaceRequest, LinkRequest, UpdateWorkspaceRequest, WorkspaceRef } from '@clp/contracts';
import { CallerRequest, WhenPresent } from '@clp/messaging';
import { ListRequest } from '../shell/command-context';

export class CreateWorkspaceDto extends CallerRequest implements CreateWorkspaceRequest {
  @IsString()
  @Length(1, 100)
  name!: string;

  @WhenPresent()
  @IsString()
  @MaxLength(1000)
  description?: string;
}

export class UpdateWorkspaceDto extends CallerRequest implements UpdateWorkspaceRequest {
  @IsUUID()
  workspace_id!: string;

  @WhenPresent()
  @IsString()
  @Length(1, 100)
  name?: string;

  @WhenPresent()
  @IsString()
  @MaxLength(1000)
  description?: string;
}

export class WorkspaceRefDto extends CallerRequest implements WorkspaceRef {
  @IsUUID()
  workspace_id!: string;
}

export class LinkDto extends WorkspaceRefDto implements LinkRequest {
  @IsUUID()
  environment_id!: string;
}

export class WorkspaceListDto extends ListRequest implements WorkspaceRef {
  @IsUUID()
  workspace_id!: string;
}
