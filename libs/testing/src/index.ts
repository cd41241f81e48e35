export * from './decider-spec';
export * from './servers';
export * from './wait-for';
