import { maintenanceWindowFromBybit } from './bybit/bybit-mapping';
import { maintenanceInForce } from './exchange.port';

/** Rows in the shape of /v5/system/status `result.list` (docs/v5/system-status.mdx). */
const row = (over: Record<string, unknown>) => ({
  id: 'f9d6842d-5331-11f0-8fd3-c241b123dd9e',
  title: 'Derivatives upgrade',
  state: 'ongoing',
  begin: '1765600000000',
  end: '1765603600000',
  href: 'https://announcements.bybit.com/x',
  serviceTypes: [1, 2, 3, 4, 5],
  product: [1, 2],
  uidSuffix: [],
  maintainType: 1,
  env: 1,
  ...over,
});
const during = new Date(1765601000000);

describe('exchange maintenance windows', () => {
  it('maps a Bybit window with its times, state, products and link', () => {
    expect(maintenanceWindowFromBybit(row({}))).toEqual({
      id: 'f9d6842d-5331-11f0-8fd3-c241b123dd9e',
      title: 'Derivatives upgrade',
      state: 'ongoing',
      beginsAt: new Date(1765600000000),
      endsAt: new Date(1765603600000),
      affectsPerpetuals: true,
      url: 'https://announcements.bybit.com/x',
    });
    expect(maintenanceWindowFromBybit(row({ product: [2], href: '', state: 'paused' }))).toMatchObject({
      affectsPerpetuals: false,
      url: null,
      state: 'other',
    });
    expect(maintenanceWindowFromBybit(row({ product: [] })).affectsPerpetuals).toBe(true);
  });

  it('an ongoing window on futures is in force; spot-only, completed and cancelled ones are not', () => {
    const windows = [
      row({}),
      row({ id: 'spot', product: [2] }),
      row({ id: 'done', state: 'completed' }),
      row({ id: 'off', state: 'canceled' }),
    ].map(maintenanceWindowFromBybit);
    expect(maintenanceInForce(windows, during)?.id).toBe('f9d6842d-5331-11f0-8fd3-c241b123dd9e');
    expect(maintenanceInForce(windows.slice(1), during)).toBeNull();
  });

  it('a scheduled window is in force only between its begin and end (the status page may lag)', () => {
    const scheduled = [maintenanceWindowFromBybit(row({ state: 'scheduled' }))];
    expect(maintenanceInForce(scheduled, new Date(1765599999999))).toBeNull();
    expect(maintenanceInForce(scheduled, during)?.state).toBe('scheduled');
    expect(maintenanceInForce(scheduled, new Date(1765603600000))).toBeNull();
  });

  it('of several in force, the one ending last', () => {
    const windows = [row({ id: 'short' }), row({ id: 'long', end: '1765610000000' })].map(maintenanceWindowFromBybit);
    expect(maintenanceInForce(windows, during)?.id).toBe('long');
  });
});
