export * from './topics';
export * from './config';
export * from './clients';
export * from './admin';
