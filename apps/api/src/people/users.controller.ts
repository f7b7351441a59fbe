import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Audited } from '@clarion/audit';
import { CurrentPrincipal, Principal, Role, Roles, UsersService } from '@clarion/auth';
import { CreateUserDto, UpdateUserDto, UserPageView, UsersQueryDto, UserView } from './people.dto';

/** The people who sign in to the console: admins only. */
@ApiTags('users')
@ApiBearerAuth()
@ApiCookieAuth()
@Roles(Role.Admin)
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: UserPageView })
  async list(@Query() query: UsersQueryDto): Promise<UserPageView> {
    const page = await this.users.list(query.limit, query.cursor);
    return { data: page.data.map(UserView.of), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOkResponse({ type: UserView })
  async get(@Param('id', ParseIntPipe) id: number): Promise<UserView> {
    return UserView.of(await this.users.get(id));
  }

  @Post()
  @Audited('user.create', { target: 'user', table: 'users' })
  @ApiOkResponse({ type: UserView })
  async create(@Body() dto: CreateUserDto): Promise<UserView> {
    return UserView.of(await this.users.create(dto));
  }

  @Patch(':id')
  @Audited('user.update', { target: 'user', table: 'users' })
  @ApiOkResponse({ type: UserView })
  async update(
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: UpdateUserDto,
    @CurrentPrincipal() caller: Principal,
  ): Promise<UserView> {
    return UserView.of(await this.users.update(id, dto, caller));
  }

  @Delete(':id')
  @Audited('user.delete', { target: 'user', table: 'users' })
  @HttpCode(204)
  remove(@Param('id', ParseIntPipe) id: number, @CurrentPrincipal() caller: Principal): Promise<void> {
    return this.users.remove(id, caller);
  }
}
