import type { Status } from '@clp/contracts';

/** MUI chip colours of the statuses, as Meshery colours them: green up, red lost, grey set aside. */
export const STATUS_COLOR: Record<Status, 'default' | 'primary' | 'secondary' | 'error' | 'info' | 'success' | 'warning'> = {
  discovered: 'info',
  registered: 'primary',
  connected: 'success',
  ignored: 'default',
  maintenance: 'warning',
  disconnected: 'error',
  deleted: 'default',
  'not found': 'error',
};
