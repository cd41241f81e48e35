export * from './decider-spec';
export * from './servers';
export * from './services';
export * from './wait-for';
export * from './kubeconfigs';
export * from './kubernetes-api';
