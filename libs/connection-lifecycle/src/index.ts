export * from './transitions';
export * from './decider';
