import { classifyOrphanOrigin, orphanAlertSeverity } from './orphan-origin';

// The domain does not know Bybit's orderLinkId format; tests pass their own predicate.
const isLegworkId = (id: string) => id.startsWith('lw-');

describe('classifyOrphanOrigin', () => {
  it('seed 004: a Legwork orderLinkId among the executions means our own order left it (critical)', () => {
    const origin = classifyOrphanOrigin(['', 'manual-123', 'lw-7f3a-2-rollback-1'], isLegworkId);
    expect(origin).toBe('legwork_order');
    expect(orphanAlertSeverity(origin)).toBe('critical');
  });

  it('no Legwork id: a manual trade (warning)', () => {
    const origin = classifyOrphanOrigin(['', 'my-bot-1'], isLegworkId);
    expect(origin).toBe('manual_trade');
    expect(orphanAlertSeverity(origin)).toBe('warning');
  });

  it('no executions at all is a manual trade too, and empty ids never reach the predicate', () => {
    const seen: string[] = [];
    expect(classifyOrphanOrigin(['', ''], (id) => (seen.push(id), true))).toBe('manual_trade');
    expect(seen).toEqual([]);
    expect(classifyOrphanOrigin([], isLegworkId)).toBe('manual_trade');
  });
});
