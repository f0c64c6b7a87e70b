export * from './credential-store';
export * from './memory-store';
export * from './keyring-store';
export * from './file-store';
export * from './open';
