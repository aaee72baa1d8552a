import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { IndexRepository } from '@legwork/persistence';
import { BearerGuard } from '../auth/bearer.guard';
import { validate } from './validate';

/** `GET /api/indices`: the synthetic indices a user can open, with their weighted constituents. */
@Controller('api/indices')
@UseGuards(BearerGuard)
export class IndicesController {
  constructor(private readonly indices: IndexRepository) {}

  @Get()
  async list(@Query() raw: unknown) {
    validate(z.strictObject({}), raw ?? {}, 'query');
    const all = await this.indices.list();
    return {
      indices: all.map(({ index, components }) => ({
        id: index.id,
        name: index.name,
        components: components.map((c) => ({ symbol: c.symbol, weight: c.weight })),
      })),
    };
  }
}
