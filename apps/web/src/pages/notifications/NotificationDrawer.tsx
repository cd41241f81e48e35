import {
  Alert,
  Box,
  Button,
  Checkbox,
  Chip,
  CircularProgress,
  Drawer,
  FormControl,
  FormControlLabel,
  IconButton,
  InputLabel,
  List,
  ListItemText,
  MenuItem,
  OutlinedInput,
  Select,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import Close from '@mui/icons-material/Close';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SEVERITIES, type Severity, type SeverityCount } from '@clp/contracts';
import { messageOf } from '../../lib/api';
import { NO_FILTERS, isFiltered, notificationsOf, type NotificationFilters } from '../../lib/notifications';
import { connectionPath } from '../../lib/routes';
import { NOTIFICATIONS_KEY, useNotificationTypes, useNotifications } from '../../queries';
import { navigate } from '../../router';
import { useSession } from '../../session-context';
import { NotificationItem, SEVERITY_COLOR } from './NotificationItem';
import { deleteMany, deleteOne, idsMatching, markMany, markOne } from './notification-cache';

type Selection = { all: true } | { all: false; ids: Set<string> };
const NONE: Selection = { all: false, ids: new Set() };

interface Props {
  open: boolean;
  onClose: () => void;
  counts: SeverityCount[];
}

/**
 * The notification center (Meshery's): the organization's notifications newest first, filtered
 * as the API filters, marked read or unread one by one or in bulk, deleted by an admin.
 * MUI's Drawer closes on Escape and gives the focus back to the bell.
 */
export const NotificationDrawer = ({ open, onClose, counts }: Props) => {
  const { token, role } = useSession();
  const client = useQueryClient();
  const [filters, setFilters] = useState<NotificationFilters>(NO_FILTERS);
  const [selection, setSelection] = useState<Selection>(NONE);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const list = useNotifications(filters, open);
  const types = useNotificationTypes(open);
  const canDelete = role === 'admin';

  const pages = list.data?.pages ?? [];
  const shown = notificationsOf(pages);
  const total = pages[0]?.total_count ?? 0;
  const selectedCount = selection.all ? total : selection.ids.size;

  const filter = <K extends keyof NotificationFilters>(name: K, value: NotificationFilters[K]) => {
    setFilters({ ...filters, [name]: value });
    setSelection(NONE);
  };

  // Every change is read back from the API (a mark or delete answers once the list shows it).
  const act = async (what: () => Promise<string | null>) => {
    setBusy(true);
    setFailure(null);
    setDone(null);
    try {
      setDone(await what());
    } catch (error) {
      setFailure(messageOf(error));
    } finally {
      setBusy(false);
      await client.invalidateQueries({ queryKey: [NOTIFICATIONS_KEY] });
    }
  };

  const selectedIds = () => (selection.all ? idsMatching(token, filters) : Promise.resolve([...selection.ids]));
  const bulkMark = (status: 'read' | 'unread') =>
    act(async () => {
      const updated = await markMany(token, await selectedIds(), status);
      setSelection(NONE);
      return `Marked ${updated} ${status}.`;
    });
  const bulkDelete = () =>
    act(async () => {
      const deleted = await deleteMany(token, await selectedIds());
      setSelection(NONE);
      return `Deleted ${deleted}.`;
    });

  const toggle = (id: string, on: boolean) => {
    if (selection.all) return;
    const ids = new Set(selection.ids);
    if (on) ids.add(id);
    else ids.delete(id);
    setSelection({ all: false, ids });
  };

  return (
    <Drawer
      anchor="right"
      open={open}
      onClose={onClose}
      slotProps={{ paper: { sx: { width: { xs: '100vw', sm: 520 } }, role: 'dialog', 'aria-labelledby': 'notifications-title' } as object }}
    >
      <Stack spacing={1.5} sx={{ p: 2 }} data-testid="notification-drawer">
        <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
          <Typography id="notifications-title" variant="h5" component="h2">
            Notifications
          </Typography>
          <IconButton aria-label="Close notifications" onClick={onClose}>
            <Close />
          </IconButton>
        </Stack>

        <Box aria-label="Unread per severity" role="group" sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          {counts.length === 0 ? (
            <Typography variant="body2" color="text.secondary" data-testid="unread-none">
              Nothing unread.
            </Typography>
          ) : (
            counts.map(({ severity, count }) => (
              <Chip
                key={severity}
                size="small"
                clickable
                data-unread={severity}
                color={SEVERITY_COLOR(severity)}
                variant={filters.severity.length === 1 && filters.severity[0] === severity ? 'filled' : 'outlined'}
                label={`${severity}: ${count}`}
                onClick={() => setFilters({ ...filters, severity: [severity], status: 'unread' })}
              />
            ))
          )}
        </Box>

        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
          <TextField label="Search" size="small" value={filters.search} onChange={(event) => filter('search', event.target.value)} sx={{ flexGrow: 1 }} />
          <FormControl size="small" sx={{ minWidth: 130 }}>
            <InputLabel id="notification-status-label">Status</InputLabel>
            <Select
              labelId="notification-status-label"
              id="notification-filter-status"
              label="Status"
              value={filters.status}
              onChange={(event) => filter('status', event.target.value as NotificationFilters['status'])}
            >
              <MenuItem value="">Read and unread</MenuItem>
              <MenuItem value="unread">Unread</MenuItem>
              <MenuItem value="read">Read</MenuItem>
            </Select>
          </FormControl>
        </Stack>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1}>
          <MultiSelect label="Severity" id="notification-filter-severity" options={[...SEVERITIES]} value={filters.severity} onChange={(value) => filter('severity', value as Severity[])} />
          <MultiSelect label="Category" id="notification-filter-category" options={types.data?.category ?? []} value={filters.category} onChange={(value) => filter('category', value)} />
          {isFiltered(filters) && (
            <Button size="small" onClick={() => (setFilters(NO_FILTERS), setSelection(NONE))}>
              Clear filters
            </Button>
          )}
        </Stack>

        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', minHeight: 40 }} role="toolbar" aria-label="Selected notifications">
          <FormControlLabel
            control={
              <Checkbox
                size="small"
                checked={selection.all}
                indeterminate={!selection.all && selection.ids.size > 0}
                disabled={total === 0}
                onChange={(event) => setSelection(event.target.checked ? { all: true } : NONE)}
              />
            }
            label={isFiltered(filters) ? `Select all ${total} matching` : `Select all ${total}`}
          />
          {selectedCount > 0 && (
            <>
              <Typography variant="body2" data-testid="selected-count">
                {selectedCount} selected
              </Typography>
              <Button size="small" variant="outlined" disabled={busy} onClick={() => void bulkMark('read')}>
                Mark read
              </Button>
              <Button size="small" variant="outlined" disabled={busy} onClick={() => void bulkMark('unread')}>
                Mark unread
              </Button>
              {canDelete && (
                <Button size="small" variant="outlined" color="error" disabled={busy} onClick={() => void bulkDelete()}>
                  Delete
                </Button>
              )}
            </>
          )}
        </Stack>

        {failure && (
          <Alert severity="error" onClose={() => setFailure(null)} data-testid="notification-error">
            {failure}
          </Alert>
        )}
        {done && (
          <Alert severity="success" onClose={() => setDone(null)} data-testid="notification-done">
            {done}
          </Alert>
        )}

        {list.isPending && <CircularProgress size={24} aria-label="Loading notifications" />}
        {list.isError && (
          <Alert severity="error" action={<Button onClick={() => void list.refetch()}>Retry</Button>} data-testid="notifications-load-error">
            {messageOf(list.error)}
          </Alert>
        )}
        {list.isSuccess && shown.length === 0 && (
          <Typography color="text.secondary" data-testid="notifications-empty">
            {isFiltered(filters) ? 'No notification matches these filters.' : 'No notifications yet.'}
          </Typography>
        )}
        {shown.length > 0 && (
          <List dense disablePadding aria-label="Notifications" data-testid="notification-list">
            {shown.map((notification) => (
              <NotificationItem
                key={notification.id}
                notification={notification}
                selected={selection.all || selection.ids.has(notification.id)}
                selectable={!selection.all}
                canDelete={canDelete}
                busy={busy}
                onSelect={(on) => toggle(notification.id, on)}
                onMark={(status) => void act(async () => (await markOne(token, notification.id, status), null))}
                onDelete={() => void act(async () => (await deleteOne(token, notification.id), null))}
                onOpenConnection={(id) => {
                  onClose();
                  navigate(connectionPath(id));
                }}
              />
            ))}
          </List>
        )}
        {list.hasNextPage && (
          <Button onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {list.isFetchingNextPage ? 'Loading…' : `Load more (${shown.length} of ${total})`}
          </Button>
        )}
      </Stack>
    </Drawer>
  );
};

const MultiSelect = ({ label, id, options, value, onChange }: { label: string; id: string; options: string[]; value: string[]; onChange: (value: string[]) => void }) => (
  <FormControl size="small" sx={{ minWidth: 160, flexGrow: 1 }}>
    <InputLabel id={`${id}-label`}>{label}</InputLabel>
    <Select
      labelId={`${id}-label`}
      id={id}
      multiple
      value={value}
      onChange={(event) => onChange(typeof event.target.value === 'string' ? event.target.value.split(',') : event.target.value)}
      input={<OutlinedInput label={label} />}
      renderValue={(selected) => selected.join(', ')}
    >
      {options.map((option) => (
        <MenuItem key={option} value={option} data-option={option}>
          <Checkbox size="small" checked={value.includes(option)} />
          <ListItemText primary={option} />
        </MenuItem>
      ))}
    </Select>
  </FormControl>
);
