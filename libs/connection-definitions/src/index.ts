export * from './definitions';
export * from './identity';
export * from './forms';
