export * from './config';
export * from './client';
export * from './cursor';
export * from './message-document';
export * from './message-repository';
