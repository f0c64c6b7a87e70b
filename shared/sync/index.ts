export * from './protocol';
export * from './api';
