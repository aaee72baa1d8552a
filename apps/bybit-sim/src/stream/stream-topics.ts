// Topic names of Bybit's private stream (docs/v5/websocket/private/*.mdx): an all-in-one topic
// (`order`, `execution`, `execution.fast`, `position`, `wallet`) or a categorised one
// (`order.linear`, …; `wallet` has none). The simulator trades linear perpetuals only, so only
// the all-in-one and `.linear` topics ever carry data; the other categories subscribe and stay
// silent, as they would for an account without such products. `dcp` is for institutional clients
// only (order/dcp.mdx) and is refused like an unknown topic.

/** The topics the simulator pushes. */
export type StreamTopic = 'order' | 'execution' | 'execution.fast' | 'position' | 'wallet';

const CATEGORIES: Record<StreamTopic, readonly string[]> = {
  order: ['spot', 'linear', 'inverse', 'option'],
  execution: ['spot', 'linear', 'inverse', 'option'],
  'execution.fast': ['spot', 'linear', 'inverse', 'option'],
  position: ['linear', 'inverse', 'option'],
  wallet: [],
};

/** Longest first, so `execution.fast.linear` is not read as `execution` + "fast.linear". */
const TOPICS: readonly StreamTopic[] = ['execution.fast', 'execution', 'position', 'wallet', 'order'];

/** A parsed topic name: its topic and, for a categorised name, its category. */
export interface TopicName {
  readonly name: string;
  readonly topic: StreamTopic;
  readonly category: string | undefined;
}

/** Parses a subscription arg. @returns undefined for a name Bybit has no such private topic for */
export function parseTopicName(name: string): TopicName | undefined {
  for (const topic of TOPICS) {
    if (name === topic) return { name, topic, category: undefined };
    if (name.startsWith(`${topic}.`) && CATEGORIES[topic].includes(name.slice(topic.length + 1))) {
      return { name, topic, category: name.slice(topic.length + 1) };
    }
  }
  return undefined;
}

/** Whether a subscribed name receives the simulator's (linear) data of `topic`. */
export function receivesLinear(name: TopicName, topic: StreamTopic): boolean {
  return name.topic === topic && (name.category === undefined || name.category === 'linear');
}

/**
 * Why a subscribe request's args are refused, or undefined when every one is valid. The docs:
 * "All-In-One topic and Categorised topic cannot be in the same subscription request".
 */
export function subscriptionError(args: readonly unknown[]): string | undefined {
  const parsed: TopicName[] = [];
  for (const arg of args) {
    const name = typeof arg === 'string' ? parseTopicName(arg) : undefined;
    // Text of a refused topic: NautilusTrader's Bybit fixture ws_subscription_failure.json.
    if (name === undefined) return `Invalid topic: ${String(arg)}`;
    parsed.push(name);
  }
  const mixed = parsed.find(
    (name) => name.category === undefined && parsed.some((other) => other.topic === name.topic && other.category !== undefined),
  );
  // No recorded answer for this case: the docs' rule in their own words.
  return mixed === undefined
    ? undefined
    : `All-In-One topic and Categorised topic cannot be in the same subscription request: ${mixed.topic}`;
}
