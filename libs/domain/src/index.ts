export * from './errors/domain-error';
export * from './position/position-status';
export * from './composition/compose-basket';
export * from './basket/leg-order';
export * from './unwind/unwind-leg';
