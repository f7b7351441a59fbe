import { Body, Controller, Get, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Page } from '@clarion/common';
import { ReadRoles, Role, Roles } from '@clarion/auth';
import { ListsService, ListView } from '@clarion/contacts';
import { CreateListDto, ListPageView, ListQueryDto } from './contacts.dto';

@ApiTags('contacts')
@ApiBearerAuth()
@Roles(Role.Marketer)
@Controller('v1/lists')
export class ListsController {
  constructor(private readonly lists: ListsService) {}

  @Get()
  @Roles(...ReadRoles)
  @ApiOkResponse({ type: ListPageView })
  list(@Query() query: ListQueryDto): Promise<Page<ListView>> {
    return this.lists.list(query.limit, query.cursor, query.search);
  }

  /** Creating a list that exists returns it (names are unique). */
  @Post()
  async create(@Body() dto: CreateListDto): Promise<ListView> {
    return this.lists.get(await this.lists.ensure(dto.name));
  }

  @Get(':id')
  @Roles(...ReadRoles)
  get(@Param('id', ParseIntPipe) id: number): Promise<ListView> {
    return this.lists.get(id);
  }
}
