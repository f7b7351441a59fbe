import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsEnum, IsString, Length } from 'class-validator';
import { ApiTokensService, IssuedToken, Role, Roles } from '@clarion/auth';

class CreateTokenDto {
  @ApiProperty({ example: 'marketing team' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: Role })
  @IsEnum(Role)
  role: Role;
}

interface TokenView {
  id: number;
  name: string;
  role: Role;
  hint: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

@ApiTags('tokens')
@ApiBearerAuth()
@Roles(Role.Admin)
@Controller('v1/tokens')
export class TokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  /** The plain token is in this response only; it is stored hashed. */
  @Post()
  create(@Body() dto: CreateTokenDto): Promise<IssuedToken> {
    return this.tokens.issue(dto.name, dto.role);
  }

  @Get()
  async list(): Promise<{ data: TokenView[]; nextCursor: null }> {
    const tokens = await this.tokens.list();
    return {
      data: tokens.map((t) => ({
        id: t.id,
        name: t.name,
        role: t.role,
        hint: `…${t.tokenHint}`,
        createdAt: t.createdAt,
        lastUsedAt: t.lastUsedAt,
        revokedAt: t.revokedAt,
      })),
      nextCursor: null,
    };
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(@Param('id', ParseIntPipe) id: number): Promise<void> {
    return this.tokens.revoke(id);
  }
}
