import * as ccxt from 'ccxt';
import bybitErrors from './bybit/fixtures/bybit-v5-errors.json';
import { classifyExchangeError, describeExchangeError, placeOrderOutcomeFromError } from './exchange-outcome';
import { bybitRefusalOf } from './bybit/bybit-error';
import { CircuitOpenError } from './guarded-call';

/**
 * classifyExchangeError against Bybit's whole V5 error table (fixtures/bybit-v5-errors.json, from
 * docs/v5/error.mdx), each code turned into an exception by ccxt itself — no mocks, no network.
 *
 * Rule (Nautilus Trader): an ambiguous outcome never becomes a rejection. Definitive = Bybit
 * understood the request and refused it for good; ambiguous = the order may exist, the refusal is
 * transient, or we do not recognise the answer. Ambiguous where definitive was possible is safe
 * (the order is looked up instead); definitive where the order may exist is a bug.
 */

type Verdict = 'definitive' | 'ambiguous';
interface Group {
  verdict: Verdict;
  reason: string;
  codes: readonly number[];
}
interface ErrorTable {
  sections: Record<string, Record<string, string>>;
  deprecated_codes: Record<string, string[]>;
  included_sections: string[];
}

const table: ErrorTable = bybitErrors;
const HTTP_SECTION = 'HTTP Code';

/** The "HTTP Code" section: HTTP statuses, answered by ccxt's `httpExceptions` (base + bybit's 403). */
const HTTP_STATUS_GROUPS: readonly Group[] = [
  { verdict: 'definitive', reason: 'AuthenticationError (base httpExceptions): wrong key / missing auth headers', codes: [401] },
  { verdict: 'ambiguous', reason: "RateLimitExceeded: bybit's httpExceptions 403 (IP rate limit) and base 429", codes: [403, 429] },
  {
    verdict: 'ambiguous',
    reason: 'ExchangeNotAvailable (base httpExceptions): bad method / wrong path, definitive in meaning, safe as ambiguous',
    codes: [400, 404],
  },
];

/** HTTP statuses not in Bybit's table that ccxt must still turn into ambiguous errors. */
const EXTRA_HTTP_STATUSES: readonly Group[] = [
  { verdict: 'ambiguous', reason: 'ExchangeNotAvailable (base httpExceptions): 5xx', codes: [500, 502, 503] },
  { verdict: 'ambiguous', reason: 'RequestTimeout (base httpExceptions): gateway timeout', codes: [504] },
];

/** Every other section (WS OE General code, UTA, Spot Trade, User): Bybit `retCode`s in an HTTP 200 body. */
const RET_CODE_GROUPS: readonly Group[] = [
  // ---- definitive: the exchange understood the request and refused it for good ----
  {
    verdict: 'definitive',
    reason:
      'authentication / permission / account banned (AuthenticationError, PermissionDenied, AccountSuspended); 10003 is also WS OE "too many sessions"',
    codes: [
      -2015, 33004, 10003, 10004, 10005, 10007, 10008, 10009, 10010, 10024, 10027, 10028, 10029, 100028, 110065, 110067, 110068, 110069,
      170224,
    ],
  },
  {
    verdict: 'definitive',
    reason: 'insufficient balance / margin (InsufficientFunds)',
    codes: [110004, 110006, 110007, 110012, 110014, 110044, 110045, 110051, 110052, 110053, 170033, 170034, 170131, 170223, 170226],
  },
  {
    verdict: 'definitive',
    reason: 'bad parameters / path / settings (BadRequest; 170201 is PermissionDenied in ccxt)',
    codes: [
      10001, 10017, 110013, 110015, 110018, 110024, 110028, 110029, 110043, 110046, 110047, 110048, 110049, 110050, 110060, 110061, 110062,
      170036, 170037, 170105, 170130, 170201, 170221, 181017,
    ],
  },
  {
    verdict: 'definitive',
    reason: 'invalid order: price band, lot size, min notional, reduce-only, TP/SL and limit rules (InvalidOrder)',
    codes: [
      110003, 110005, 110009, 110011, 110016, 110017, 110019, 110020, 110021, 110022, 110023, 110031, 110032, 110033, 110034, 110035,
      110036, 110037, 110038, 110039, 110040, 110041, 110042, 110054, 110055, 110056, 110057, 110058, 110059, 110064, 110070, 110092,
      110093, 110094, 170010, 170011, 170019, 170115, 170116, 170117, 170121, 170124, 170132, 170133, 170134, 170136, 170137, 170140,
      170148, 170151, 170157, 170159, 170192, 170193, 170194, 170195, 170196, 170197, 170198, 170199, 170200, 170202, 170203, 170204,
      170206, 170210, 170217, 170218, 170228, 170229, 170371, 170372,
    ],
  },
  {
    verdict: 'definitive',
    reason: 'a definitive answer about an order: does not exist / already filled or cancelled (OrderNotFound, InvalidOrder)',
    codes: [110001, 110008, 110010, 170139, 170142, 170143, 170145, 170190, 170213],
  },
  {
    verdict: 'definitive',
    reason:
      'transient refusal that ccxt maps to InvalidOrder; nothing was created (debatable: WS session / spot order-rate limit, cancel "try again later")',
    codes: [20003, 170005, 170191],
  },
  // ---- ambiguous: the order may exist, the refusal is transient, or the answer is unrecognised ----
  {
    verdict: 'ambiguous',
    reason: 'rate limited (RateLimitExceeded; 429 / WS 10429 stay generic ExchangeError)',
    codes: [10006, 10018, 30035, 170222, 429, 10429],
  },
  {
    verdict: 'ambiguous',
    reason: 'timeout / request expired / recv window (InvalidNonce, RequestTimeout, generic ExchangeError)',
    codes: [10000, 10002, -1, 170007, 170310],
  },
  {
    verdict: 'ambiguous',
    reason: 'server-side trouble, or a failure without a reason (generic ExchangeError)',
    codes: [10016, 10019, 170001, 170032, 170234, 3400214, 170149, 170150, 170311, 110073, 182110],
  },
  {
    verdict: 'ambiguous',
    reason:
      'the order or request may exist or is still in flight (duplicates, creation timeout, processing) — overrides in exchange-outcome.ts where ccxt says InvalidOrder/BadRequest',
    codes: [110072, 110030, 170141, 10014, 20006, 170146, 170147, 170035, 170144, 110079, 40004, 170212, 110114],
  },
  {
    verdict: 'ambiguous',
    reason: 'trading paused — settlement or maintenance (generic ExchangeError): EXCHANGE.MAINTENANCE, retried on the schedule (issue 16)',
    codes: [110063, 110066],
  },
  {
    verdict: 'ambiguous',
    reason: 'nothing to change (NoChange, MarginModeAlreadySet, generic ExchangeError)',
    codes: [110025, 110026, 110027, 34040, 110075],
  },
  {
    verdict: 'ambiguous',
    reason: 'order / request refusal ccxt leaves generic (ExchangeError): definitive in meaning, ambiguous here — safe, only slower',
    codes: [
      10404, 30208, 30209, 30228, 30256, 110074, 110076, 110078, 110082, 110083, 110085, 110086, 110089, 110090, 110095, 110098, 110099,
      110103, 110108, 110109, 110115, 110116, 110117, 110118, 110119, 110120, 110121, 110131, 110135, 110137, 170312, 170313, 170341,
      170346, 170355, 170360, 170381, 170382, 170810, 3200403, 3400139,
    ],
  },
  {
    verdict: 'ambiguous',
    reason:
      'account / product / region / institutional-lending restriction ccxt leaves generic (ExchangeError, OperationRejected) — safe, only slower',
    codes: [
      30133, 30134, 30135, 30136, 110071, 110077, 110080, 110087, 110088, 110096, 110097, 110100, 110101, 110102, 110104, 110105, 110106,
      110107, 110110, 110111, 110112, 110113, 110123, 110124, 110125, 110132, 110136, 170031, 170207, 170209, 170215, 170216, 170219,
      170220, 170227, 170230, 170241, 170344, 170348, 170358, 170359, 170709, 182011, 182100, 182101, 182102, 182103, 182108, 182111,
      182112, 500010, 500011, 3100181, 3100197, 3100326, 3200316, 3200317, 3200320, 3200419, 3200425, 3200641, 3400052, 3400053, 3400054,
      3400071, 3400208, 3400209, 3400210, 3400211, 3400212, 3400213, 3401010, 20096, 81007,
    ],
  },
  {
    verdict: 'ambiguous',
    reason: 'retCode 0 "OK": ccxt throws nothing; classified as the generic ExchangeError bybit.handleErrors would throw',
    codes: [0],
  },
];

/** Codes for which ccxt's handleErrors throws nothing (success). */
const NOT_AN_ERROR = new Set(['0']);

const bybit = new ccxt.bybit();
const ORDER_CREATE_URL = 'https://api.bybit.com/v5/order/create';

/**
 * What ccxt's `Exchange.handleRestResponse` does with an HTTP answer: parse the body, call
 * `bybit.handleErrors` (broad match on the body, then exact match on `retCode`, else a generic
 * ExchangeError), and only if that returns undefined (non-JSON body) `handleHttpStatusCode`.
 */
function ccxtError(status: number, reason: string, body: string): unknown {
  const parsed: unknown = bybit.parseJson(body);
  try {
    const skip = bybit.handleErrors(status, reason, ORDER_CREATE_URL, 'POST', {}, body, parsed, {}, '{}');
    if (skip === undefined) bybit.handleHttpStatusCode(status, reason, ORDER_CREATE_URL, 'POST', body);
  } catch (error) {
    return error;
  }
  return undefined;
}

function retCodeBody(code: string, message: string): string {
  return JSON.stringify({ retCode: Number(code), retMsg: message, result: {}, retExtInfo: {}, time: 1 });
}

/** The ccxt error for a Bybit `retCode`; when ccxt throws nothing, the generic ExchangeError of its fallback. */
function ccxtErrorForRetCode(code: string, message: string): { error: unknown; thrown: boolean } {
  const body = retCodeBody(code, message);
  const error = ccxtError(200, 'OK', body);
  return error === undefined ? { error: new ccxt.ExchangeError(`${bybit.id} ${body}`), thrown: false } : { error, thrown: true };
}

/** The ccxt error for an HTTP status whose body is not Bybit JSON (an HTML or text error page). */
function ccxtErrorForHttpStatus(status: number, message: string): unknown {
  return ccxtError(status, message, message);
}

const verdictOf = (error: unknown): Verdict => (classifyExchangeError(error).definitive ? 'definitive' : 'ambiguous');
const className = (error: unknown): string => (error as Error).constructor.name;

/** code -> its group(s); a code in two groups is reported by the coverage test. */
function index(groups: readonly Group[]): Map<string, Group[]> {
  const byCode = new Map<string, Group[]>();
  for (const group of groups) for (const code of group.codes) byCode.set(String(code), [...(byCode.get(String(code)) ?? []), group]);
  return byCode;
}

const retCodeIndex = index(RET_CODE_GROUPS);
const httpIndex = index(HTTP_STATUS_GROUPS);

const retCodeSections = Object.keys(table.sections).filter((s) => s !== HTTP_SECTION);
const retCodeRows = retCodeSections.flatMap((section) =>
  Object.entries(table.sections[section] ?? {}).map(([code, message]) => ({ section, code, message })),
);
const httpRows = Object.entries(table.sections[HTTP_SECTION] ?? {}).map(([code, message]) => ({ code, message }));

const expected = (byCode: Map<string, Group[]>, code: string): Group => {
  const groups = byCode.get(code);
  if (!groups || groups.length !== 1) throw new Error(`code ${code} must be placed in exactly one group, is in ${groups?.length ?? 0}`);
  return groups[0] as Group;
};

describe('Bybit V5 error table coverage', () => {
  it('has the sections the table was written for', () => {
    expect(Object.keys(table.sections).sort()).toEqual([...table.included_sections].sort());
    expect(table.sections[HTTP_SECTION]).toBeDefined();
    // Deprecated (struck-through) codes are still in their section and so still classified.
    for (const [section, codes] of Object.entries(table.deprecated_codes)) {
      for (const code of codes) expect(table.sections[section]).toHaveProperty([code]);
    }
  });

  it('places every retCode of the fixture in exactly one group, and no code that is not in the fixture', () => {
    const fixtureCodes = new Set(retCodeRows.map((r) => r.code));
    const unplaced = [...fixtureCodes].filter((code) => !retCodeIndex.has(code));
    const placedTwice = [...retCodeIndex].filter(([, groups]) => groups.length > 1).map(([code]) => code);
    const notInFixture = [...retCodeIndex.keys()].filter((code) => !fixtureCodes.has(code));
    expect({ unplaced, placedTwice, notInFixture }).toEqual({ unplaced: [], placedTwice: [], notInFixture: [] });
  });

  it('places every HTTP status of the fixture in exactly one group, and no status that is not in the fixture', () => {
    const fixtureCodes = new Set(httpRows.map((r) => r.code));
    const unplaced = [...fixtureCodes].filter((code) => !httpIndex.has(code));
    const placedTwice = [...index([...HTTP_STATUS_GROUPS, ...EXTRA_HTTP_STATUSES])]
      .filter(([, groups]) => groups.length > 1)
      .map(([code]) => code);
    const notInFixture = [...httpIndex.keys()].filter((code) => !fixtureCodes.has(code));
    expect({ unplaced, placedTwice, notInFixture }).toEqual({ unplaced: [], placedTwice: [], notInFixture: [] });
  });
});

describe('classifyExchangeError on every Bybit retCode, as ccxt throws it', () => {
  it.each(retCodeRows)('$section $code "$message"', ({ code, message }) => {
    const group = expected(retCodeIndex, code);
    const { error, thrown } = ccxtErrorForRetCode(code, message);
    expect({ code, thrown }).toEqual({ code, thrown: !NOT_AN_ERROR.has(code) });
    // The ccxt class is in the received value so that a failure shows it.
    expect({ code, class: className(error), verdict: verdictOf(error) }).toEqual({
      code,
      class: expect.any(String),
      verdict: group.verdict,
    });
    // The order path agrees: only a definitive error becomes a rejection.
    expect(placeOrderOutcomeFromError(error).kind).toBe(group.verdict === 'definitive' ? 'rejected' : 'unknown');
  });
});

describe('classifyExchangeError on HTTP statuses, through ccxt handleHttpStatusCode', () => {
  const extraRows = EXTRA_HTTP_STATUSES.flatMap((g) => g.codes.map((code) => ({ code: String(code), message: `HTTP ${code}` })));
  const extraIndex = index(EXTRA_HTTP_STATUSES);

  it.each(httpRows)('HTTP $code "$message"', ({ code, message }) => {
    const error = ccxtErrorForHttpStatus(Number(code), message);
    expect(error).toBeInstanceOf(ccxt.BaseError);
    expect({ code, verdict: verdictOf(error) }).toEqual({ code, verdict: expected(httpIndex, code).verdict });
  });

  it.each(extraRows)('HTTP $code (not in the table)', ({ code, message }) => {
    const error = ccxtErrorForHttpStatus(Number(code), message);
    expect(error).toBeInstanceOf(ccxt.NetworkError);
    expect({ code, verdict: verdictOf(error) }).toEqual({ code, verdict: expected(extraIndex, code).verdict });
  });
});

describe('key codes: ccxt class and Legwork code', () => {
  const uta = (code: number): string => table.sections['UTA']?.[String(code)] ?? '';

  it.each([
    // ambiguous
    [10006, 'RateLimitExceeded', 'EXCHANGE.RATE_LIMITED'],
    [10016, 'ExchangeError', 'EXCHANGE.UNKNOWN_ERROR'],
    [10000, 'ExchangeError', 'EXCHANGE.UNKNOWN_ERROR'],
    [10002, 'InvalidNonce', 'EXCHANGE.NETWORK'],
    [110072, 'InvalidOrder', 'EXCHANGE.DUPLICATE_ORDER_LINK_ID'],
    [110079, 'ExchangeError', 'EXCHANGE.UNKNOWN_ERROR'],
  ])('retCode %i → %s → ambiguous %s', (code, ccxtClass, legworkCode) => {
    const { error } = ccxtErrorForRetCode(String(code), uta(code));
    expect(className(error)).toBe(ccxtClass);
    expect(classifyExchangeError(error)).toEqual({ definitive: false, code: legworkCode });
  });

  it.each([
    [10003, 'AuthenticationError', 'EXCHANGE.AUTH'],
    [10004, 'AuthenticationError', 'EXCHANGE.AUTH'],
    [10005, 'PermissionDenied', 'EXCHANGE.AUTH'],
    [110007, 'InsufficientFunds', 'EXCHANGE.INSUFFICIENT_MARGIN'],
    [110004, 'InsufficientFunds', 'EXCHANGE.INSUFFICIENT_MARGIN'],
    [110012, 'InsufficientFunds', 'EXCHANGE.INSUFFICIENT_MARGIN'],
    [110044, 'InsufficientFunds', 'EXCHANGE.INSUFFICIENT_MARGIN'],
    [110045, 'InsufficientFunds', 'EXCHANGE.INSUFFICIENT_MARGIN'],
    [10001, 'BadRequest', 'EXCHANGE.BAD_REQUEST'],
    [110017, 'InvalidOrder', 'EXCHANGE.INVALID_ORDER'],
    [110094, 'InvalidOrder', 'EXCHANGE.INVALID_ORDER'],
    [110003, 'InvalidOrder', 'EXCHANGE.INVALID_ORDER'],
  ])('retCode %i → %s → definitive %s', (code, ccxtClass, legworkCode) => {
    const { error } = ccxtErrorForRetCode(String(code), uta(code));
    expect(className(error)).toBe(ccxtClass);
    expect(classifyExchangeError(error)).toEqual({ definitive: true, code: legworkCode });
  });

  it.each([
    [403, 'RateLimitExceeded', 'EXCHANGE.RATE_LIMITED'],
    [429, 'RateLimitExceeded', 'EXCHANGE.RATE_LIMITED'],
    [500, 'ExchangeNotAvailable', 'EXCHANGE.UNAVAILABLE'],
    [502, 'ExchangeNotAvailable', 'EXCHANGE.UNAVAILABLE'],
    [503, 'ExchangeNotAvailable', 'EXCHANGE.UNAVAILABLE'],
    [504, 'RequestTimeout', 'EXCHANGE.TIMEOUT'],
  ])('HTTP %i → %s → ambiguous %s', (status, ccxtClass, legworkCode) => {
    const error = ccxtErrorForHttpStatus(status, '<html>error</html>');
    expect(className(error)).toBe(ccxtClass);
    expect(classifyExchangeError(error)).toEqual({ definitive: false, code: legworkCode });
  });

  it.each([
    // ccxt says InvalidOrder / BadRequest; the order or request may exist → overridden by retCode.
    [110030, 'InvalidOrder', 'EXCHANGE.DUPLICATE_ORDER_LINK_ID'],
    [170141, 'InvalidOrder', 'EXCHANGE.DUPLICATE_ORDER_LINK_ID'],
    [10014, 'BadRequest', 'EXCHANGE.DUPLICATE_REQUEST'],
    [20006, 'InvalidOrder', 'EXCHANGE.DUPLICATE_REQUEST'],
    [170146, 'InvalidOrder', 'EXCHANGE.TIMEOUT'],
    [170147, 'InvalidOrder', 'EXCHANGE.TIMEOUT'],
    [170035, 'BadRequest', 'EXCHANGE.ORDER_PROCESSING'],
    [170144, 'InvalidOrder', 'EXCHANGE.ORDER_PROCESSING'],
  ])('retCode %i → %s, but the order may exist → ambiguous %s', (code, ccxtClass, legworkCode) => {
    const row = retCodeRows.find((r) => r.code === String(code));
    const { error } = ccxtErrorForRetCode(String(code), row?.message ?? '');
    expect(className(error)).toBe(ccxtClass);
    expect(classifyExchangeError(error)).toEqual({ definitive: false, code: legworkCode });
  });

  it("ccxt's DuplicateOrderId (an InvalidOrder) is ambiguous: the order exists", () => {
    expect(classifyExchangeError(new ccxt.DuplicateOrderId('bybit duplicate clientOrderId'))).toEqual({
      definitive: false,
      code: 'EXCHANGE.DUPLICATE_ORDER_LINK_ID',
    });
  });
});

describe('an order refused while trading is paused (issue 16)', () => {
  it.each([110063, 110066])('retCode %i → unknown EXCHANGE.MAINTENANCE: retried, never a rejection', (code) => {
    const row = retCodeRows.find((r) => r.code === String(code));
    const { error } = ccxtErrorForRetCode(String(code), row?.message ?? '');
    expect(className(error)).toBe('ExchangeError');
    expect(placeOrderOutcomeFromError(error)).toMatchObject({ kind: 'unknown', code: 'EXCHANGE.MAINTENANCE' });
  });
});

describe('placeOrderOutcomeFromError', () => {
  it('RequestTimeout → unknown EXCHANGE.TIMEOUT', () => {
    const outcome = placeOrderOutcomeFromError(new ccxt.RequestTimeout('bybit POST https://api.bybit.com/v5/order/create timed out'));
    expect(outcome).toMatchObject({ kind: 'unknown', code: 'EXCHANGE.TIMEOUT' });
  });

  it('ExchangeNotAvailable → unknown', () => {
    const outcome = placeOrderOutcomeFromError(new ccxt.ExchangeNotAvailable('bybit POST https://api.bybit.com/v5/order/create 503'));
    expect(outcome).toMatchObject({ kind: 'unknown', code: 'EXCHANGE.UNAVAILABLE' });
  });

  it('InsufficientFunds → rejected EXCHANGE.INSUFFICIENT_MARGIN, permanent', () => {
    const outcome = placeOrderOutcomeFromError(
      new ccxt.InsufficientFunds(`bybit ${retCodeBody('110007', 'Available balance is insufficient')}`),
    );
    expect(outcome).toMatchObject({ kind: 'rejected', code: 'EXCHANGE.INSUFFICIENT_MARGIN', permanent: true });
  });

  it("a plain Error('socket hang up') → unknown", () => {
    expect(placeOrderOutcomeFromError(new Error('socket hang up'))).toMatchObject({ kind: 'unknown', code: 'EXCHANGE.UNKNOWN_ERROR' });
  });

  it('an error named CircuitOpenError → unknown EXCHANGE.CIRCUIT_OPEN', () => {
    const named = Object.assign(new Error('circuit open'), { name: 'CircuitOpenError' });
    expect(placeOrderOutcomeFromError(new CircuitOpenError('exchange_account'))).toMatchObject({
      kind: 'unknown',
      code: 'EXCHANGE.CIRCUIT_OPEN',
    });
    expect(placeOrderOutcomeFromError(named)).toMatchObject({ kind: 'unknown', code: 'EXCHANGE.CIRCUIT_OPEN' });
  });

  it('keeps the reason short: the kind of refusal in words and the start of the exchange message', () => {
    const outcome = placeOrderOutcomeFromError(new ccxt.InvalidOrder(`bybit ${retCodeBody('110017', 'x'.repeat(1000))}`));
    expect(outcome.kind).toBe('rejected');
    if (outcome.kind !== 'accepted') {
      expect(outcome.reason.startsWith('invalid order: xxx')).toBe(true);
      expect(outcome.reason.length).toBeLessThanOrEqual('invalid order: '.length + 200);
    }
  });

  it("a refusal as ccxt throws it: a plain sentence, Bybit's retCode and retMsg as fields, no raw JSON", () => {
    const { error } = ccxtErrorForRetCode('110007', 'ab not enough for new order');
    const outcome = placeOrderOutcomeFromError(error);
    expect(outcome).toEqual({
      kind: 'rejected',
      code: 'EXCHANGE.INSUFFICIENT_MARGIN',
      reason: 'insufficient funds: ab not enough for new order',
      permanent: true,
      exchange: { retCode: 110007, retMsg: 'ab not enough for new order' },
    });
  });

  it('an error without a Bybit envelope keeps its message, minus the exchange prefix, and has no exchange fields', () => {
    expect(describeExchangeError(new ccxt.ExchangeNotAvailable('bybit 503 Service Unavailable'))).toBe(
      'exchange not available: 503 Service Unavailable',
    );
    expect(bybitRefusalOf(new Error('socket hang up'))).toBeNull();
    expect(bybitRefusalOf(new Error('bybit {"retCode":10001,"retMsg":"params error: qty'))).toEqual({ retCode: 10001, retMsg: '' });
  });
});
