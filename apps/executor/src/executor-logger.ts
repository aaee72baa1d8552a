/** Injection token of the executor's root pino logger (handlers derive a child per command). */
export const EXECUTOR_LOGGER = Symbol('EXECUTOR_LOGGER');
