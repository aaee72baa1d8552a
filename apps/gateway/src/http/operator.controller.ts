import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { BybitClientFactory } from '@legwork/exchange';
import { IdentityRepository, ScanRepository } from '@legwork/persistence';
import { manualOrphanScan, ScanSettings } from '@legwork/scanning';
import { BearerGuard } from '../auth/bearer.guard';
import { OperatorGuard } from '../auth/operator.guard';
import { SCAN_SETTINGS } from '../gateway.settings';
import { validate } from './validate';

const body = z.strictObject({ accountId: z.uuid().optional() });

/** Operator endpoints. `POST /api/operator/orphans/scan`: a manual orphan scan (seed 004). */
@Controller('api/operator')
@UseGuards(BearerGuard, OperatorGuard)
export class OperatorController {
  constructor(
    private readonly scans: ScanRepository,
    private readonly identity: IdentityRepository,
    private readonly factory: BybitClientFactory,
    @Inject(SCAN_SETTINGS) private readonly settings: ScanSettings,
  ) {}

  /** 200 with the findings; `confirmed` > 0 means confirmed orphans exist. */
  @Post('orphans/scan')
  @HttpCode(200)
  async scanOrphans(@Body() raw: unknown) {
    const { accountId } = validate(body, raw ?? {}, 'body');
    return manualOrphanScan({ scans: this.scans, identity: this.identity, factory: this.factory, settings: this.settings }, accountId);
  }
}
