import { DEFAULT_LEGGING, isLegging, resolveLegging } from './legging';

describe('legging of an open request', () => {
  it('the request chooses first, then the index, then the global default', () => {
    expect(resolveLegging('batch', 'sequential', 'sequential')).toBe('batch');
    expect(resolveLegging(undefined, 'batch', 'sequential')).toBe('batch');
    expect(resolveLegging(undefined, null, 'batch')).toBe('batch');
    expect(resolveLegging(undefined, undefined, DEFAULT_LEGGING)).toBe('sequential');
  });

  it('knows its two modes and nothing else', () => {
    expect(isLegging('sequential')).toBe(true);
    expect(isLegging('batch')).toBe(true);
    expect(isLegging('parallel')).toBe(false);
    expect(isLegging(undefined)).toBe(false);
  });
});
