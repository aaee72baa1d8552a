// Validation of the control API's stream and liquidation bodies (unknown fields refused, as in
// http/control-parse.ts).
import { ControlInputError, nonNegativeInt, onlyKnown, record, string } from '../http/control-parse';
import { PositionIdx } from '../engine/types';
import { STREAM_MESSAGE_EFFECTS, StreamMessageEffect, StreamMessageFault } from './stream-faults';
import { StreamTopic } from './stream-topics';

const TOPICS: readonly StreamTopic[] = ['order', 'execution', 'execution.fast', 'position', 'wallet'];

/** `{apiKey?}` of /__sim/stream/drop. @throws ControlInputError */
export function parseStreamDrop(input: unknown): { apiKey: string | undefined } {
  const body = record(input, 'body');
  onlyKnown(body, ['apiKey'], 'stream drop');
  return { apiKey: string(body, 'apiKey', false) };
}

/** `{apiKey?, durationMs}` of /__sim/stream/stall (durationMs 1–3 600 000). @throws ControlInputError */
export function parseStreamStall(input: unknown): { apiKey: string | undefined; durationMs: number } {
  const body = record(input, 'body');
  onlyKnown(body, ['apiKey', 'durationMs'], 'stream stall');
  const durationMs = nonNegativeInt(body, 'durationMs');
  if (durationMs === undefined || durationMs < 1 || durationMs > 3_600_000)
    throw new ControlInputError('durationMs must be an integer in 1–3600000');
  return { apiKey: string(body, 'apiKey', false), durationMs };
}

function messageFault(input: unknown, index: number): StreamMessageFault {
  const what = `messages[${index}]`;
  const body = record(input, what);
  onlyKnown(body, ['effect', 'topic', 'count', 'delayMs'], what);
  const effect = body['effect'];
  if (typeof effect !== 'string' || !(STREAM_MESSAGE_EFFECTS as readonly string[]).includes(effect))
    throw new ControlInputError(`${what}.effect must be one of ${STREAM_MESSAGE_EFFECTS.join(', ')}`);
  const topic = body['topic'];
  if (topic !== undefined && (typeof topic !== 'string' || !(TOPICS as readonly string[]).includes(topic)))
    throw new ControlInputError(`${what}.topic must be one of ${TOPICS.join(', ')}`);
  const count = nonNegativeInt(body, 'count') ?? 1;
  if (count < 1) throw new ControlInputError(`${what}.count must be ≥ 1`);
  const delayMs = nonNegativeInt(body, 'delayMs');
  if (effect === 'delay' && delayMs === undefined) throw new ControlInputError(`${what}.delayMs is required for a delay`);
  if (effect !== 'delay' && delayMs !== undefined) throw new ControlInputError(`${what}.delayMs applies to a delay only`);
  return {
    effect: effect as StreamMessageEffect,
    ...(topic === undefined ? {} : { topic: topic as StreamTopic }),
    count,
    ...(delayMs === undefined ? {} : { delayMs }),
  };
}

/** `{apiKey?, messages: [{effect, topic?, count?, delayMs?}]}` of POST /__sim/stream/faults. @throws ControlInputError */
export function parseStreamFaults(input: unknown): { apiKey: string | undefined; faults: StreamMessageFault[] } {
  const body = record(input, 'body');
  onlyKnown(body, ['apiKey', 'messages'], 'stream faults');
  const messages = body['messages'];
  if (!Array.isArray(messages)) throw new ControlInputError('messages must be a list');
  return { apiKey: string(body, 'apiKey', false), faults: messages.map((entry, index) => messageFault(entry, index)) };
}

/** `{apiKey, symbol, positionIdx?}` of /__sim/liquidate. @throws ControlInputError */
export function parseLiquidation(input: unknown): { apiKey: string; symbol: string; positionIdx: PositionIdx | undefined } {
  const body = record(input, 'body');
  onlyKnown(body, ['apiKey', 'symbol', 'positionIdx'], 'liquidate');
  const positionIdx = nonNegativeInt(body, 'positionIdx');
  if (positionIdx !== undefined && positionIdx > 2) throw new ControlInputError('positionIdx must be 0, 1 or 2');
  return {
    apiKey: string(body, 'apiKey', true),
    symbol: string(body, 'symbol', true),
    positionIdx: positionIdx as PositionIdx | undefined,
  };
}
