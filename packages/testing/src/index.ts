export * from './environment';
export * from './app-process';
export * from './private-ferretdb';
export * from './exit-checks';
export * from './late-schema';
export * from './machine';
