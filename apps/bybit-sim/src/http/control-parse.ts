// Validation of the control API's JSON bodies. Unknown fields are refused: the fault names are a
// contract with other tooling, and a typo silently ignored would make a test pass for the
// wrong reason.
import { Dec, parseDecimal } from '../engine/decimal';
import { NewAccount } from '../engine/exchange';
import {
  FaultSet,
  ORDER_CREATE_BATCH_EFFECTS,
  ORDER_CREATE_EFFECTS,
  OrderCreateEffect,
  OrderCreateFault,
  POSITION_LIST_EFFECTS,
  PositionListEffect,
  PositionListFault,
} from '../engine/faults';
import { ApiKeyPermissions, LeverageSetting, PositionMode } from '../engine/types';

/** A control request body that does not validate (answered with HTTP 400). */
export class ControlInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ControlInputError';
  }
}

/** A JSON object body. */
export type Json = Record<string, unknown>;

/** The value as a JSON object. @throws ControlInputError naming `what` */
export function record(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ControlInputError(`${what} must be a JSON object`);
  return value as Json;
}

/** Refuses fields outside `allowed`. @throws ControlInputError listing them */
export function onlyKnown(body: Json, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new ControlInputError(`${what}: unknown field(s) ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`);
}

/** A non-empty string field (required or optional). @throws ControlInputError naming the field */
export function string(body: Json, name: string, required: true): string;
export function string(body: Json, name: string, required: false): string | undefined;
export function string(body: Json, name: string, required: boolean): string | undefined {
  const value = body[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '') throw new ControlInputError(`${name} must be a non-empty string`);
  return value;
}

/** An optional integer ≥ 0. @throws ControlInputError naming the field */
export function nonNegativeInt(body: Json, name: string): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new ControlInputError(`${name} must be a non-negative integer`);
  return value;
}

/** An optional true/false. @throws ControlInputError naming the field */
export function boolean(body: Json, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new ControlInputError(`${name} must be true or false`);
  return value;
}

/** A required decimal (string or number). @throws ControlInputError naming the field */
export function decimal(body: Json, name: string): Dec {
  const value = parseDecimal(body[name]);
  if (value === undefined) throw new ControlInputError(`${name} must be a decimal string such as "10000" or "0.5"`);
  return value;
}

const POSITION_MODES: readonly PositionMode[] = ['OneWay', 'Hedge'];

function positionMode(body: Json, name: string): PositionMode | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(POSITION_MODES as readonly string[]).includes(value))
    throw new ControlInputError(`${name} must be "OneWay" or "Hedge"`);
  return value as PositionMode;
}

function leverage(body: Json, name: string): Dec {
  const value = decimal(body, name);
  if (value.lessThan(1)) throw new ControlInputError(`${name} must be at least 1`);
  return value;
}

/** Body of POST /__sim/accounts. @throws ControlInputError */
export function parseNewAccount(input: unknown): NewAccount {
  const body = record(input, 'account');
  onlyKnown(body, ['apiKey', 'apiSecret', 'balanceUsdt', 'canWithdraw', 'permissions', 'positionMode', 'defaultLeverage'], 'account');
  const balanceUsdt = decimal(body, 'balanceUsdt');
  if (balanceUsdt.isNegative()) throw new ControlInputError('balanceUsdt must not be negative');
  let permissions: ApiKeyPermissions | undefined;
  if (body['permissions'] !== undefined) {
    const raw = record(body['permissions'], 'permissions');
    permissions = {};
    for (const [group, list] of Object.entries(raw)) {
      if (!Array.isArray(list) || !list.every((item) => typeof item === 'string'))
        throw new ControlInputError(`permissions.${group} must be a list of strings`);
      permissions[group] = list as string[];
    }
  }
  return {
    apiKey: string(body, 'apiKey', true),
    apiSecret: string(body, 'apiSecret', true),
    balanceUsdt,
    canWithdraw: boolean(body, 'canWithdraw') ?? false,
    permissions,
    positionMode: positionMode(body, 'positionMode'),
    defaultLeverage: body['defaultLeverage'] === undefined ? undefined : leverage(body, 'defaultLeverage'),
  };
}

/** Body of POST /__sim/prices: symbol → positive decimal price. @throws ControlInputError */
export function parsePrices(input: unknown): Map<string, Dec> {
  const body = record(input, 'prices');
  const prices = new Map<string, Dec>();
  for (const symbol of Object.keys(body)) {
    const price = decimal(body, symbol);
    if (!price.isPositive() || price.isZero()) throw new ControlInputError(`${symbol} must be a positive price`);
    prices.set(symbol, price);
  }
  return prices;
}

/** Body of POST /__sim/trade. @throws ControlInputError */
export function parseManualTrade(input: unknown): {
  apiKey: string;
  symbol: string;
  side: 'Buy' | 'Sell';
  qty: Dec;
  reduceOnly: boolean;
  orderLinkId: string;
  positionIdx?: number;
  createType: 'CreateByUser' | 'CreateByClosing';
} {
  const body = record(input, 'trade');
  onlyKnown(body, ['apiKey', 'symbol', 'side', 'qty', 'reduceOnly', 'orderLinkId', 'positionIdx', 'createType'], 'trade');
  // CreateByClosing: a close from the app's position area (docs/v5/enum.mdx), always reduce-only.
  const createType = string(body, 'createType', false) ?? 'CreateByUser';
  if (createType !== 'CreateByUser' && createType !== 'CreateByClosing')
    throw new ControlInputError('createType must be "CreateByUser" or "CreateByClosing"');
  const positionIdx = nonNegativeInt(body, 'positionIdx');
  if (positionIdx !== undefined && positionIdx > 2) throw new ControlInputError('positionIdx must be 0, 1 or 2');
  const side = string(body, 'side', true);
  if (side !== 'Buy' && side !== 'Sell') throw new ControlInputError('side must be "Buy" or "Sell"');
  const orderLinkId = string(body, 'orderLinkId', false) ?? '';
  if (orderLinkId !== '' && !orderLinkId.startsWith('manual-'))
    throw new ControlInputError('orderLinkId of a manual trade must start with "manual-"');
  return {
    apiKey: string(body, 'apiKey', true),
    symbol: string(body, 'symbol', true),
    side,
    qty: decimal(body, 'qty'),
    reduceOnly: createType === 'CreateByClosing' || (boolean(body, 'reduceOnly') ?? false),
    orderLinkId,
    ...(positionIdx === undefined ? {} : { positionIdx }),
    createType,
  };
}

/** Body of POST /__sim/position-mode: `symbol` absent means every USDT symbol. @throws ControlInputError */
export function parsePositionModeChange(input: unknown): { apiKey: string; mode: PositionMode; symbol: string | undefined } {
  const body = record(input, 'position mode');
  onlyKnown(body, ['apiKey', 'mode', 'symbol'], 'position mode');
  const mode = positionMode(body, 'mode');
  if (mode === undefined) throw new ControlInputError('mode must be "OneWay" or "Hedge"');
  return { apiKey: string(body, 'apiKey', true), mode, symbol: string(body, 'symbol', false) };
}

/**
 * Body of POST /__sim/leverage: `leverage` for both sides, or `buyLeverage` and `sellLeverage`.
 * @throws ControlInputError
 */
export function parseLeverageChange(input: unknown): { apiKey: string; symbol: string; setting: LeverageSetting } {
  const body = record(input, 'leverage');
  onlyKnown(body, ['apiKey', 'symbol', 'leverage', 'buyLeverage', 'sellLeverage'], 'leverage');
  const both = body['leverage'] !== undefined;
  if (both === (body['buyLeverage'] !== undefined || body['sellLeverage'] !== undefined)) {
    throw new ControlInputError('give either leverage, or buyLeverage and sellLeverage');
  }
  const setting = both
    ? { buyLeverage: leverage(body, 'leverage'), sellLeverage: leverage(body, 'leverage') }
    : { buyLeverage: leverage(body, 'buyLeverage'), sellLeverage: leverage(body, 'sellLeverage') };
  return { apiKey: string(body, 'apiKey', true), symbol: string(body, 'symbol', true), setting };
}

/** Instrument statuses of docs/v5/market/instrument.mdx (`Settling` from docs/v5/enum.mdx). */
export const INSTRUMENT_STATUSES = ['PreLaunch', 'Trading', 'Settling', 'Delivering', 'Closed'] as const;

/** Body of POST /__sim/instrument-status. @throws ControlInputError */
export function parseInstrumentStatus(input: unknown): { symbol: string; status: string } {
  const body = record(input, 'instrument status');
  onlyKnown(body, ['symbol', 'status'], 'instrument status');
  const status = string(body, 'status', true);
  if (!(INSTRUMENT_STATUSES as readonly string[]).includes(status))
    throw new ControlInputError(`status must be one of ${INSTRUMENT_STATUSES.join(', ')}`);
  return { symbol: string(body, 'symbol', true), status };
}

/** Body of POST /__sim/keys/revoke. @throws ControlInputError */
export function parseKeyRevoke(input: unknown): { apiKey: string } {
  const body = record(input, 'key revoke');
  onlyKnown(body, ['apiKey'], 'key revoke');
  return { apiKey: string(body, 'apiKey', true) };
}

/** Body of POST /__sim/keys: a new key for the account holding `apiKey`. @throws ControlInputError */
export function parseKeyAdd(input: unknown): { apiKey: string; newApiKey: string; newApiSecret: string; revokeOthers: boolean } {
  const body = record(input, 'key');
  onlyKnown(body, ['apiKey', 'newApiKey', 'newApiSecret', 'revokeOthers'], 'key');
  return {
    apiKey: string(body, 'apiKey', true),
    newApiKey: string(body, 'newApiKey', true),
    newApiSecret: string(body, 'newApiSecret', true),
    revokeOthers: boolean(body, 'revokeOthers') ?? false,
  };
}

function effectList<E extends string, F>(
  value: unknown,
  name: string,
  effects: readonly E[],
  allowSymbol: boolean,
  build: (effect: E, count: number, entry: Json) => F,
): F[] {
  if (!Array.isArray(value)) throw new ControlInputError(`${name} must be a list`);
  return value.map((item, index) => {
    const entry = record(item, `${name}[${index}]`);
    onlyKnown(entry, allowSymbol ? ['effect', 'count', 'symbol', 'hangMs'] : ['effect', 'count', 'hangMs'], `${name}[${index}]`);
    const effect = entry['effect'];
    if (typeof effect !== 'string' || !(effects as readonly string[]).includes(effect)) {
      throw new ControlInputError(`${name}[${index}].effect must be one of ${effects.join(', ')}`);
    }
    const count = nonNegativeInt(entry, 'count') ?? 1;
    if (count < 1) throw new ControlInputError(`${name}[${index}].count must be at least 1`);
    return build(effect as E, count, entry);
  });
}

/** Body of POST /__sim/faults: the fault set and the account it targets, if any. @throws ControlInputError */
export function parseFaults(input: unknown): { apiKey: string | undefined; faults: FaultSet } {
  const body = record(input, 'faults');
  onlyKnown(
    body,
    [
      'apiKey',
      'positionVisibilityLagMs',
      'orderVisibilityLagMs',
      'executionVisibilityLagMs',
      'orderCreate',
      'orderCreateBatch',
      'positionList',
      'closeAfterFillMs',
    ],
    'faults',
  );
  const faults: FaultSet = {};
  const lagFields = ['positionVisibilityLagMs', 'orderVisibilityLagMs', 'executionVisibilityLagMs', 'closeAfterFillMs'] as const;
  for (const field of lagFields) {
    const value = nonNegativeInt(body, field);
    if (value !== undefined) faults[field] = value;
  }
  const orderCreateFault = (effect: OrderCreateEffect, count: number, entry: Json): OrderCreateFault => {
    const symbol = string(entry, 'symbol', false);
    const hangMs = nonNegativeInt(entry, 'hangMs');
    return { effect, count, ...(symbol === undefined ? {} : { symbol }), ...(hangMs === undefined ? {} : { hangMs }) };
  };
  if (body['orderCreate'] !== undefined) {
    faults.orderCreate = effectList(body['orderCreate'], 'orderCreate', ORDER_CREATE_EFFECTS, true, orderCreateFault);
  }
  if (body['orderCreateBatch'] !== undefined) {
    faults.orderCreateBatch = effectList(body['orderCreateBatch'], 'orderCreateBatch', ORDER_CREATE_BATCH_EFFECTS, true, orderCreateFault);
  }
  if (body['positionList'] !== undefined) {
    faults.positionList = effectList<PositionListEffect, PositionListFault>(
      body['positionList'],
      'positionList',
      POSITION_LIST_EFFECTS,
      false,
      (effect, count, entry) => {
        const hangMs = nonNegativeInt(entry, 'hangMs');
        return { effect, count, ...(hangMs === undefined ? {} : { hangMs }) };
      },
    );
  }
  return { apiKey: string(body, 'apiKey', false), faults };
}
