import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { ReplyError, ROLES, type Role } from '@clp/contracts';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Public } from './request-context';
import { issueToken, JWT_SECRET } from './tokens';

/** How long a dev login's token lasts: a working day, as `npm run token`'s default. */
const DEV_TOKEN_LIFETIME = '12h';

export class DevLoginDto {
  @ApiProperty({ minLength: 1, maxLength: 128, example: 'default' })
  @IsString()
  @Length(1, 128)
  organization_id!: string;

  @ApiProperty({ minLength: 1, maxLength: 128, example: 'me' })
  @IsString()
  @Length(1, 128)
  user_id!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}

class DevLoginStatusDoc {
  @ApiProperty({ description: 'whether this gateway runs with DEV_LOGIN (never in production)' }) enabled!: boolean;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
}

class DevLoginTokenDoc {
  @ApiProperty({ description: 'a bearer token for the caller chosen, as `npm run token` makes' }) token!: string;
}

/**
 * The dev login (docs/gateway.md): with `DEV_LOGIN=true`, outside production only, anyone who
 * reaches the gateway may pick an organization, a user and a role and get a token for them, so a
 * person trying the system signs in from the web UI without `npm run token`. Off by default.
 */
@Public()
@ApiTags('auth')
@Controller('api/auth/dev-login')
export class DevLoginController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(JWT_SECRET) private readonly secret: string,
  ) {}

  @Get()
  @ApiOperation({ summary: 'whether the dev login is on (the web UI asks before it offers it)' })
  @ApiOkResponse({ type: DevLoginStatusDoc })
  status(): DevLoginStatusDoc {
    return { enabled: this.config.devLogin === true, roles: [...ROLES] };
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'a token for the organization, user and role given (only with DEV_LOGIN=true)' })
  @ApiCreatedResponse({ type: DevLoginTokenDoc })
  @ApiErrors(400, 404)
  login(@Body() body: DevLoginDto): DevLoginTokenDoc {
    if (this.config.devLogin !== true) throw new ReplyError('not_found', 'the dev login is off: start the gateway with DEV_LOGIN=true (never in production)');
    return { token: issueToken(this.secret, { org: body.organization_id, user: body.user_id, role: body.role }, DEV_TOKEN_LIFETIME) };
  }
}
