export * from './command';
export * from './environment-decider';
export * from './workspace-decider';
export * from './name-claim';
