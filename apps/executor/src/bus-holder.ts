import type { Bus } from '@legwork/messaging';

/** Holds the bus connection as an injectable (Nest cannot inject an interface). */
export class BusHolder {
  constructor(readonly bus: Bus) {}
}
