import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Audited } from '@clarion/audit';
import { Type } from 'class-transformer';
import { IsDate, IsEnum, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ApiToken, ApiTokensService, Role, Roles } from '@clarion/auth';
import { DomainError } from '@clarion/common';
import { PageQueryDto } from '../http/page-query.dto';

const DAY_MS = 24 * 60 * 60 * 1000;

class CreateTokenDto {
  @ApiProperty({ example: 'marketing team' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: Role })
  @IsEnum(Role)
  role: Role;

  @ApiPropertyOptional({ description: 'ISO 8601, in the future; the token answers 401 after it. Or use expiresInDays.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'expiresAt must be an ISO 8601 date-time' })
  expiresAt?: Date;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, description: 'the token expires this many days from now' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number;
}

class TokensQueryDto extends PageQueryDto {}

class IssuedTokenView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty({ description: 'the token itself: shown in this answer only' }) token: string;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) expiresAt: Date | null;
}

class TokenView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty({ description: "the token's last characters, to tell tokens apart", example: '…x7Qk2a' }) hint: string;
  @ApiProperty({ enum: ['active', 'expired', 'revoked'] }) status: 'active' | 'expired' | 'revoked';
  @ApiProperty({ description: 'the CLARION_ADMIN_TOKEN of the environment' }) bootstrap: boolean;
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) expiresAt: Date | null;
  @ApiProperty({ nullable: true, type: Date, description: 'to the minute' }) lastUsedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) revokedAt: Date | null;

  static of(t: ApiToken, now = Date.now()): TokenView {
    const status = t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt.getTime() <= now ? 'expired' : 'active';
    return {
      id: t.id,
      name: t.name,
      role: t.role,
      hint: `…${t.tokenHint}`,
      status,
      bootstrap: t.bootstrap,
      createdAt: t.createdAt,
      expiresAt: t.expiresAt,
      lastUsedAt: t.lastUsedAt,
      revokedAt: t.revokedAt,
    };
  }
}

class TokenPageView {
  @ApiProperty({ type: [TokenView] }) data: TokenView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

@ApiTags('tokens')
@ApiBearerAuth()
@ApiCookieAuth()
@Roles(Role.Admin)
@Controller('v1/tokens')
export class TokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  /** The plain token is in this response only; it is stored hashed. */
  @Post()
  @Audited('token.create', { target: 'token', table: 'api_tokens' })
  @ApiOkResponse({ type: IssuedTokenView })
  create(@Body() dto: CreateTokenDto): Promise<IssuedTokenView> {
    if (dto.expiresAt && dto.expiresInDays !== undefined) throw DomainError.validation('give expiresAt or expiresInDays, not both');
    const expiresAt = dto.expiresInDays !== undefined ? new Date(Date.now() + dto.expiresInDays * DAY_MS) : dto.expiresAt;
    return this.tokens.issue({ name: dto.name, role: dto.role, expiresAt });
  }

  @Get()
  @ApiOkResponse({ type: TokenPageView })
  async list(@Query() query: TokensQueryDto): Promise<TokenPageView> {
    const page = await this.tokens.list(query.limit, query.cursor);
    return { data: page.data.map((t) => TokenView.of(t)), nextCursor: page.nextCursor };
  }

  /** Works for every token; the bootstrap one comes back only from the environment at the next boot. */
  @Delete(':id')
  @Audited('token.revoke', { target: 'token', table: 'api_tokens' })
  @HttpCode(204)
  revoke(@Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.tokens.revoke(id);
  }
}
