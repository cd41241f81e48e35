import { RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig, type StreamInfo } from 'nats';

/**
 * Creates the stream, or leaves an existing one as it is. Replicas racing to create the same
 * stream is fine: the server accepts an identical `add` for a stream that exists.
 */
export const ensureStream = async (
  jsm: JetStreamManager,
  spec: { name: string; subjects: string[] },
  overrides: Partial<StreamConfig> = {},
): Promise<StreamInfo> => {
  try {
    return await jsm.streams.info(spec.name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  return jsm.streams.add({
    name: spec.name,
    subjects: spec.subjects,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    ...overrides,
  });
};

/** The JetStream API's "not found" answers (stream, consumer or message). */
export const isNotFound = (error: unknown): boolean => {
  const e = error as { code?: string; api_error?: { code?: number } };
  return e?.api_error?.code === 404 || e?.code === '404';
};
