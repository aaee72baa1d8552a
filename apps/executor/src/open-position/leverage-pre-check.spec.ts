import pino from 'pino';
import { ExchangePort, ExchangeUnavailableError, PositionView, SetLeverageOutcome } from '@legwork/exchange';
import { LegExecutor } from '../leg-execution/leg-executor';
import { TransientExecutionError } from '../leg-execution/transient-error';
import { ensureOneXLeverage } from './leverage-pre-check';

/**
 * An in-memory account (the exchange port's fake): each symbol's leverage and size, and what
 * set-leverage answers. Calls other than the two the pre-check needs fail the test.
 */
class FakeAccount {
  readonly setCalls: string[] = [];
  constructor(
    private readonly rows: Map<string, { leverage: string; size: string }>,
    private readonly answer: (symbol: string) => SetLeverageOutcome = () => ({ kind: 'set' }),
    private readonly sticky = false,
  ) {}

  port(): ExchangePort {
    const unexpected = (name: string) => () => {
      throw new Error(`the leverage pre-check must not call ${name}`);
    };
    return {
      instrumentRules: unexpected('instrumentRules'),
      markPrices: unexpected('markPrices'),
      placeMarketOrder: unexpected('placeMarketOrder'),
      placeMarketOrders: unexpected('placeMarketOrders'),
      findOrder: unexpected('findOrder'),
      executions: unexpected('executions'),
      positions: unexpected('positions'),
      apiKeyPermissions: unexpected('apiKeyPermissions'),
      switchToHedgeMode: unexpected('switchToHedgeMode'),
      maintenanceWindows: unexpected('maintenanceWindows'),
      availableBalance: unexpected('availableBalance'),
      positionsBySymbol: async (symbols) => symbols.map((symbol) => this.view(symbol)),
      setLeverage: async (symbol, leverage) => {
        this.setCalls.push(`${symbol}=${leverage}`);
        const outcome = this.answer(symbol);
        const row = this.rows.get(symbol);
        if (row && outcome.kind === 'set' && !this.sticky) row.leverage = leverage;
        return outcome;
      },
    };
  }

  private view(symbol: string): PositionView {
    const row = this.rows.get(symbol) ?? { leverage: '10', size: '0' };
    const held = row.size !== '0';
    return {
      symbol,
      hedgeSide: null,
      side: held ? 'long' : 'flat',
      size: row.size,
      entryPrice: null,
      markPrice: null,
      unrealisedPnlUsdt: null,
      leverage: row.leverage,
    };
  }
}

const log = pino({ level: 'silent' });
// LegExecutor.read only turns ExchangeUnavailableError into TransientExecutionError; it uses no state.
const legs: Pick<LegExecutor, 'read'> = { read: LegExecutor.prototype.read };
const account = (rows: Record<string, [leverage: string, size: string]>) =>
  new Map(Object.entries(rows).map(([s, [leverage, size]]) => [s, { leverage, size }]));

describe('ensureOneXLeverage (seed 001: every leg at 1x, set before the first order)', () => {
  it('an account at 10x: every symbol of the basket is set to 1x once and read back', async () => {
    const fake = new FakeAccount(account({ BTCUSDT: ['10', '0'], ETHUSDT: ['10', '0'], XRPUSDT: ['1', '0'] }));
    await expect(ensureOneXLeverage(fake.port(), ['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'BTCUSDT'], legs, log)).resolves.toBeNull();
    expect(fake.setCalls).toEqual(['BTCUSDT=1', 'ETHUSDT=1']);
  });

  it("sets the symbols at once, five a second at most (half of Bybit's 10/s per UID for set-leverage)", async () => {
    const symbols = ['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'DOGEUSDT', 'LTCUSDT', 'SOLUSDT'];
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const fake = new FakeAccount(account(Object.fromEntries(symbols.map((s) => [s, ['10', '0']]))));
    const port = fake.port();
    const set = port.setLeverage.bind(port);
    port.setLeverage = async (symbol, leverage) => {
      const outcome = set(symbol, leverage);
      await answered; // no answer until the test says so
      return outcome;
    };
    const checked = ensureOneXLeverage(port, symbols, legs, log);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.setCalls).toEqual(symbols.slice(0, 5).map((s) => `${s}=1`)); // the sixth waits for the next second
    answer();
    await expect(checked).resolves.toBeNull();
    expect(fake.setCalls).toEqual(symbols.map((s) => `${s}=1`));
  });

  it('"not modified" is success (another basket on the account set 1x between our read and our call)', async () => {
    const rows = account({ BTCUSDT: ['10', '0'] });
    const fake = new FakeAccount(rows, (symbol) => {
      (rows.get(symbol) as { leverage: string }).leverage = '1';
      return { kind: 'not_modified' };
    });
    await expect(ensureOneXLeverage(fake.port(), ['BTCUSDT'], legs, log)).resolves.toBeNull();
    expect(fake.setCalls).toEqual(['BTCUSDT=1']);
  });

  it('a symbol held at 5x: refused before any set-leverage call, naming the symbol', async () => {
    const fake = new FakeAccount(account({ BTCUSDT: ['10', '0'], ETHUSDT: ['5', '0.1'] }));
    const refusal = await ensureOneXLeverage(fake.port(), ['BTCUSDT', 'ETHUSDT'], legs, log);
    expect(refusal).toEqual({
      code: 'EXECUTION.LEVERAGE_NOT_1X',
      reason: expect.stringMatching(/^leverage cannot be 1x for ETHUSDT: ETHUSDT is held \(0\.1\) at 5x/),
    });
    expect(fake.setCalls).toEqual([]);
  });

  it("the exchange refuses 1x: refused with Bybit's code and message", async () => {
    const refused: SetLeverageOutcome = {
      kind: 'refused',
      code: 'EXCHANGE.BAD_REQUEST',
      retCode: 10001,
      reason: 'BadRequest: bybit {"retCode":10001}',
    };
    const fake = new FakeAccount(account({ BTCUSDT: ['10', '0'], ETHUSDT: ['10', '0'] }), (s) =>
      s === 'ETHUSDT' ? refused : { kind: 'set' },
    );
    const refusal = await ensureOneXLeverage(fake.port(), ['BTCUSDT', 'ETHUSDT'], legs, log);
    expect(refusal?.reason).toContain(
      'the exchange refused to set ETHUSDT to 1x (EXCHANGE.BAD_REQUEST, retCode 10001: BadRequest: bybit {"retCode":10001})',
    );
  });

  it('set-leverage unavailable, or a failed read, is transient (redelivered, checked again)', async () => {
    const fake = new FakeAccount(account({ BTCUSDT: ['10', '0'] }), () => ({
      kind: 'unavailable',
      code: 'EXCHANGE.TIMEOUT',
      reason: 'timed out',
    }));
    await expect(ensureOneXLeverage(fake.port(), ['BTCUSDT'], legs, log)).rejects.toBeInstanceOf(TransientExecutionError);
    const down = fake.port();
    down.positionsBySymbol = async () => {
      throw new ExchangeUnavailableError('EXCHANGE.UNAVAILABLE', 'position_list: 503');
    };
    await expect(ensureOneXLeverage(down, ['BTCUSDT'], legs, log)).rejects.toMatchObject({
      name: 'TransientExecutionError',
      code: 'EXCHANGE.UNAVAILABLE',
    });
  });

  it('accepted, but the read-back still shows 10x: refused', async () => {
    const fake = new FakeAccount(account({ BTCUSDT: ['10', '0'] }), () => ({ kind: 'set' }), true);
    await expect(ensureOneXLeverage(fake.port(), ['BTCUSDT'], legs, log)).resolves.toMatchObject({
      reason: expect.stringContaining('still reports 10x'),
    });
  });
});
