export * from './port';
export * from './commit';
export * from './jetstream/jetstream-event-store';
export * from './eventstoredb/eventstoredb-event-store';
export * from './checkpoint-store';
export * from './relay';
export * from './batches';
export * from './lease';
