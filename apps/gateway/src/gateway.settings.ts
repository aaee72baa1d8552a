/** Runtime settings of the gateway's use cases and controllers (from config at boot). */
export class GatewaySettings {
  constructor(readonly maxNotionalUsdt: number) {}
}
