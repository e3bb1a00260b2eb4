export * from './operation-outcome';
export * from './error-catalogue';
export * from './result';
export * from './logger';
export * from './canonical-json';
export * from './deep-freeze';
export * from './text';
export * from './semaphore';
