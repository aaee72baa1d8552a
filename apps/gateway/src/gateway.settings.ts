import type { Legging } from '@legwork/domain';

/** Runtime settings of the gateway's use cases and controllers (from config at boot). */
export class GatewaySettings {
  constructor(
    readonly maxNotionalUsdt: number,
    /** How long `POST /api/operator/orphans/scan` waits for the orphan monitor's report before answering 202 with the run id. */
    readonly operatorScanWaitMs: number,
    /** The legging of an open request that names none, on an index without a default (`DEFAULT_LEGGING`). */
    readonly defaultLegging: Legging = 'sequential',
  ) {}
}
