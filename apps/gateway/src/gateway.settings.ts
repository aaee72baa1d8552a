/** Injection token of the scan settings (`ScanSettings` from @legwork/scanning) of the operator scan. */
export const SCAN_SETTINGS = Symbol('SCAN_SETTINGS');

/** Runtime settings of the gateway's use cases and controllers (from config at boot). */
export class GatewaySettings {
  constructor(readonly maxNotionalUsdt: number) {}
}
