import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { IndexRepository } from '@legwork/persistence';
import { BearerGuard } from '../auth/bearer.guard';
import { validate } from './validate';
import { ApiDoc } from './openapi/route-doc';

/** `GET /api/indices`'s answer. */
export const IndexList = z
  .strictObject({
    indices: z.array(
      z.strictObject({
        id: z.uuid(),
        name: z.string(),
        components: z.array(
          z.strictObject({
            symbol: z.string().meta({ example: 'BTCUSDT' }),
            weight: z.string().meta({ description: 'relative weight, decimal string', example: '40' }),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'IndexList' });
export type IndexList = z.infer<typeof IndexList>;

/** `GET /api/indices`: the synthetic indices a user can open, with their weighted constituents. */
@Controller('api/indices')
@UseGuards(BearerGuard)
export class IndicesController {
  constructor(private readonly indices: IndexRepository) {}

  @ApiDoc({
    operationId: 'listIndices',
    summary: 'The synthetic indices a position can follow, with their weighted constituents',
    tags: ['indices'],
    auth: 'bearer',
    request: { query: z.strictObject({}) },
    responses: { 200: { description: 'the indices', schema: IndexList } },
  })
  @Get()
  async list(@Query() raw: unknown): Promise<IndexList> {
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
