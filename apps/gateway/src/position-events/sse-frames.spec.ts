import { eventFrame, heartbeatFrame, openingFrame } from './sse-frames';

describe('SSE frames', () => {
  it('an event carries id, type and one line of JSON, ended by a blank line', () => {
    expect(eventFrame('42', 'position.status', { positionId: 'p', status: 'ACTIVE', note: 'a\nb' })).toBe(
      'id: 42\nevent: position.status\ndata: {"positionId":"p","status":"ACTIVE","note":"a\\nb"}\n\n',
    );
  });

  it('the opening sets the retry delay and the cursor without dispatching an event (no data field)', () => {
    expect(openingFrame(3000, '17')).toBe('retry: 3000\nid: 17\n\n');
    expect(openingFrame(1500.7, '0')).toBe('retry: 1500\nid: 0\n\n');
  });

  it('a heartbeat is a comment', () => {
    expect(heartbeatFrame()).toBe(': heartbeat\n\n');
  });

  it('a newline in the id or type cannot start another field', () => {
    expect(eventFrame('1\ndata: x', 'a\r\nb', null)).toBe('id: 1data: x\nevent: ab\ndata: null\n\n');
  });
});
