import { Badge, IconButton, Tooltip } from '@mui/material';
import NotificationsOutlined from '@mui/icons-material/NotificationsOutlined';
import { useState } from 'react';
import { bellLabel, isAlarming, unreadTotal } from '../../lib/notifications';
import { useNotificationCounts } from '../../queries';
import { NotificationDrawer } from './NotificationDrawer';
import { useLiveNotifications } from './notification-cache';

/** The app bar's bell: the organization's unread notifications (red when any is an error or worse), and the drawer. */
export const NotificationBell = () => {
  const [open, setOpen] = useState(false);
  const counts = useNotificationCounts();
  useLiveNotifications();
  const unread = counts.data ?? [];
  const total = unreadTotal(unread);
  const label = counts.isError ? 'Notifications (unread count unavailable)' : bellLabel(unread);
  return (
    <>
      <Tooltip title={label}>
        <IconButton color="inherit" aria-label={label} aria-haspopup="dialog" onClick={() => setOpen(true)} data-testid="notification-bell" data-unread={total}>
          <Badge badgeContent={total} max={999} color={unread.some((entry) => isAlarming(entry.severity)) ? 'error' : 'primary'}>
            <NotificationsOutlined />
          </Badge>
        </IconButton>
      </Tooltip>
      <NotificationDrawer open={open} onClose={() => setOpen(false)} counts={unread} />
    </>
  );
};
