export * from './topics';
export * from './config';
export * from './clients';
export * from './admin';
export * from './snapshot-fence';
export * from './metrics-snapshot-reader';
export * from './dead-letter-headers';
export * from './key-partitioner';
