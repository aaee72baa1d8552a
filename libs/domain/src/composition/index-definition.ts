import Decimal from 'decimal.js';
import { DomainError } from '../errors/domain-error';
import type { IndexDefinitionCode } from '../errors/error-codes';
import type { IndexWeight, InstrumentRules } from './compose-basket';

/**
 * The rules every new index definition must pass, whoever creates it (today the operator CLI's
 * `index:create`; the gateway only reads indices). Invariant: a stored index only names
 * instruments that were listed and trading when it was created, each once, with positive weights
 * that sum to exactly 100 (percent). An instrument that stops trading later is caught by
 * {@link composeBasket} before a basket's first order.
 */

/** One problem with one field of the definition (`components[2].weight`, `components`). */
export interface IndexDefinitionIssue {
  code: IndexDefinitionCode;
  field: string;
  message: string;
}

export interface ValidateIndexInput {
  components: readonly IndexWeight[];
  /** The exchange's rules for the listed ones among the components' symbols (unlisted: absent). */
  instruments: ReadonlyMap<string, InstrumentRules>;
  /** Scale positive weights whose sum is not 100 to sum to 100, instead of refusing them. */
  scaleWeights: boolean;
}

export interface ValidatedIndex {
  /** The components in their given order; weights as decimal strings summing to exactly 100. */
  components: IndexWeight[];
  /** The weights as given, when they were scaled (null when they already summed to 100). */
  scaledFrom: IndexWeight[] | null;
}

/** Decimal places of a scaled weight (percent): 1e-8 % of any notional is below every lot size. */
const SCALED_WEIGHT_DECIMALS = 8;
const HUNDRED = new Decimal(100);

/**
 * Checks an index definition against the rules above; with `scaleWeights`, positive weights are
 * scaled by 100 / Σweights, rounded to 8 decimals, the rounding remainder added to the largest
 * weight so that the sum is exactly 100.
 *
 * @throws DomainError with the first issue's code, a message listing every issue (each naming its
 *   field), `details.field` (the first issue's) and `details.issues: IndexDefinitionIssue[]`.
 */
export function validateIndexDefinition(input: ValidateIndexInput): ValidatedIndex {
  const issues: IndexDefinitionIssue[] = [];
  if (input.components.length === 0)
    issues.push({ code: 'INDEX.NO_COMPONENTS', field: 'components', message: 'an index needs at least one component' });
  const seen = new Map<string, number>();
  const weights: (Decimal | null)[] = input.components.map((component, i) => {
    const field = `components[${i}]`;
    const first = seen.get(component.symbol);
    if (first !== undefined) {
      issues.push({
        code: 'INDEX.DUPLICATE_SYMBOL',
        field: `${field}.symbol`,
        message: `${component.symbol} is already components[${first}]`,
      });
    } else {
      seen.set(component.symbol, i);
    }
    const rules = input.instruments.get(component.symbol);
    if (!rules) {
      issues.push({
        code: 'INDEX.SYMBOL_NOT_LISTED',
        field: `${field}.symbol`,
        message: `${component.symbol} is not listed by the exchange as a USDT linear perpetual`,
      });
    } else if (rules.status !== 'trading') {
      issues.push({
        code: 'INDEX.SYMBOL_NOT_TRADING',
        field: `${field}.symbol`,
        message: `${component.symbol} is not trading (status ${rules.status})`,
      });
    }
    const weight = decimalOrNull(component.weight);
    if (weight === null || !weight.isFinite() || weight.lte(0)) {
      issues.push({
        code: 'INDEX.WEIGHT_NOT_POSITIVE',
        field: `${field}.weight`,
        message: `weight of ${component.symbol} must be a number above 0, got ${component.weight}`,
      });
      return null;
    }
    return weight;
  });
  const positive = weights.filter((w): w is Decimal => w !== null);
  const sum = positive.length === weights.length && positive.length > 0 ? Decimal.sum(...positive) : null;
  if (sum && !sum.eq(HUNDRED) && !input.scaleWeights) {
    issues.push({
      code: 'INDEX.WEIGHTS_NOT_100',
      field: 'components',
      message: `weights sum to ${sum.toString()}, not 100 (scale them to 100 on request: --scale-weights)`,
    });
  }
  const [first] = issues;
  if (first) {
    throw new DomainError(first.code, issues.map((i) => `${i.field}: ${i.message}`).join('; '), { field: first.field, issues });
  }
  const total = sum as Decimal;
  if (total.eq(HUNDRED))
    return {
      components: input.components.map((c, i) => ({ symbol: c.symbol, weight: (positive[i] as Decimal).toString() })),
      scaledFrom: null,
    };
  return { components: scaleToHundred(input.components, positive, total), scaledFrom: input.components.map((c) => ({ ...c })) };
}

function scaleToHundred(components: readonly IndexWeight[], weights: Decimal[], total: Decimal): IndexWeight[] {
  const scaled = weights.map((w) => w.mul(HUNDRED).div(total).toDecimalPlaces(SCALED_WEIGHT_DECIMALS, Decimal.ROUND_DOWN));
  const largest = scaled.reduce((best, w, i) => (w.gt(scaled[best] as Decimal) ? i : best), 0);
  scaled[largest] = (scaled[largest] as Decimal).plus(HUNDRED.minus(Decimal.sum(...scaled)));
  return components.map((c, i) => ({ symbol: c.symbol, weight: (scaled[i] as Decimal).toString() }));
}

function decimalOrNull(value: string): Decimal | null {
  try {
    return new Decimal(value);
  } catch {
    return null;
  }
}
