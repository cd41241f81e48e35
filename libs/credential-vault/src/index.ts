export * from './credential-vault';
export * from './master-key';
export * from './sealed-secret';
export * from './vault-error';
