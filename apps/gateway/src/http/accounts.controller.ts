import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { IdentityRepository } from '@legwork/persistence';
import { AuthenticatedRequest, BearerGuard } from '../auth/bearer.guard';
import { AccountList, accountView } from '../list-accounts/account-view';
import { validate } from './validate';
import { ApiDoc } from './openapi/route-doc';

const query = z.strictObject({});

/** `GET /api/accounts`: the caller's exchange accounts (never another user's, never a secret). */
@Controller('api/accounts')
@UseGuards(BearerGuard)
export class AccountsController {
  constructor(private readonly identity: IdentityRepository) {}

  @ApiDoc({
    operationId: 'listAccounts',
    summary: 'The caller’s exchange accounts: position mode and API key status (the key masked, never the secret)',
    tags: ['accounts'],
    auth: 'bearer',
    request: { query },
    responses: { 200: { description: 'the accounts, oldest first', schema: AccountList } },
  })
  @Get()
  async list(@Req() req: AuthenticatedRequest, @Query() raw: unknown): Promise<AccountList> {
    validate(query, raw ?? {}, 'query');
    return { accounts: (await this.identity.listAccounts(req.principal.userId)).map(accountView) };
  }
}
