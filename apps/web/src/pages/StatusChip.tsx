import { Chip } from '@mui/material';
import type { Status } from '@clp/contracts';
import { STATUS_COLOR } from '../lib/statuses';

export const StatusChip = ({ status }: { status: Status }) => (
  <Chip size="small" label={status} color={STATUS_COLOR[status]} variant={status === 'deleted' || status === 'ignored' ? 'outlined' : 'filled'} data-status={status} />
);
