import { Box, Button, Checkbox, Chip, Collapse, IconButton, Link, ListItem, Stack, Tooltip, Typography } from '@mui/material';
import DeleteOutline from '@mui/icons-material/DeleteOutline';
import { useState } from 'react';
import type { Notification, Severity } from '@clp/contracts';
import { detailsOf, isAlarming } from '../../lib/notifications';
import { connectionPath } from '../../lib/routes';
import { StatusChip } from '../StatusChip';

export const SEVERITY_COLOR = (severity: Severity): 'error' | 'warning' | 'success' | 'info' | 'default' =>
  isAlarming(severity) ? 'error' : severity === 'warning' ? 'warning' : severity === 'success' ? 'success' : severity === 'informational' ? 'info' : 'default';

interface Props {
  notification: Notification;
  selected: boolean;
  selectable: boolean;
  canDelete: boolean;
  busy: boolean;
  onSelect: (selected: boolean) => void;
  onMark: (status: 'read' | 'unread') => void;
  onDelete: () => void;
  onOpenConnection: (id: string) => void;
}

/** One notification: what happened, its severity and time, read state, and the details on demand. */
export const NotificationItem = ({ notification, selected, selectable, canDelete, busy, onSelect, onMark, onDelete, onOpenConnection }: Props) => {
  const [open, setOpen] = useState(false);
  const details = detailsOf(notification);
  const unread = notification.status === 'unread';
  const detailsId = `notification-details-${notification.id}`;
  return (
    <ListItem
      divider
      data-notification={notification.id}
      data-severity={notification.severity}
      data-read-status={notification.status}
      sx={{ alignItems: 'flex-start', gap: 1, bgcolor: unread ? 'action.hover' : undefined, px: 1 }}
    >
      <Checkbox
        size="small"
        checked={selected}
        disabled={!selectable}
        onChange={(event) => onSelect(event.target.checked)}
        slotProps={{ input: { 'aria-label': `Select: ${notification.description}` } }}
        sx={{ p: 0.5 }}
      />
      <Box sx={{ flexGrow: 1, minWidth: 0 }}>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
          <Chip size="small" label={notification.severity} color={SEVERITY_COLOR(notification.severity)} />
          <Typography variant="caption" color="text.secondary">
            {notification.category} · {notification.action}
          </Typography>
          <Typography variant="caption" color="text.secondary" component="time" dateTime={notification.created_at}>
            {new Date(notification.created_at).toLocaleString()}
          </Typography>
        </Stack>
        <Typography variant="body2" sx={{ fontWeight: unread ? 600 : 400, mt: 0.5, overflowWrap: 'anywhere' }} data-testid="notification-description">
          {notification.description}
        </Typography>
        <Stack direction="row" spacing={1} sx={{ mt: 0.5, flexWrap: 'wrap' }}>
          <Button size="small" onClick={() => setOpen(!open)} aria-expanded={open} aria-controls={detailsId}>
            {open ? 'Hide details' : 'Details'}
          </Button>
          <Button size="small" disabled={busy} onClick={() => onMark(unread ? 'read' : 'unread')}>
            {unread ? 'Mark read' : 'Mark unread'}
          </Button>
        </Stack>
        <Collapse in={open} unmountOnExit>
          <Box id={detailsId} component="dl" data-testid="notification-details" sx={{ m: 0, display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 1.5, rowGap: 0.5, fontSize: 14 }}>
            {details.from && details.to && (
              <>
                <dt>Change</dt>
                <dd style={{ margin: 0 }}>
                  <StatusChip status={details.from} /> → <StatusChip status={details.to} />
                </dd>
              </>
            )}
            <dt>When</dt>
            <dd style={{ margin: 0 }}>{new Date(notification.created_at).toLocaleString()}</dd>
            {details.who && (
              <>
                <dt>Who</dt>
                <dd style={{ margin: 0 }}>{details.who}</dd>
              </>
            )}
            {details.cause && (
              <>
                <dt>Cause</dt>
                <dd style={{ margin: 0 }}>{details.cause}</dd>
              </>
            )}
            {details.reason && (
              <>
                <dt>Reason</dt>
                <dd style={{ margin: 0, overflowWrap: 'anywhere' }}>{details.reason}</dd>
              </>
            )}
            {details.connectionId && (
              <>
                <dt>Connection</dt>
                <dd style={{ margin: 0 }}>
                  <Link
                    href={connectionPath(details.connectionId)}
                    onClick={(event) => {
                      if (event.metaKey || event.ctrlKey || event.shiftKey) return;
                      event.preventDefault();
                      onOpenConnection(details.connectionId as string);
                    }}
                  >
                    {details.name ?? details.connectionId}
                    {details.kind ? ` (${details.kind})` : ''}
                  </Link>
                </dd>
              </>
            )}
          </Box>
        </Collapse>
      </Box>
      {canDelete && (
        <Tooltip title="Delete">
          <span>
            <IconButton size="small" disabled={busy} aria-label={`Delete: ${notification.description}`} onClick={onDelete}>
              <DeleteOutline fontSize="small" />
            </IconButton>
          </span>
        </Tooltip>
      )}
    </ListItem>
  );
};
