export * from './connection';
export * from './streams';
export * from './trace-headers';
export * from './requester';
export * from './durable-consumer';
export * from './nest-replies';
export * from './raw-json';
export * from './reply-inbox';
