export * from './types';
export * from './conversation';
export * from './schemas';
export * from './wire-format';
export * from './codec';
