import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';

/** Asks once before an action that takes something away (delete); Cancel has the focus. */
export const ConfirmDialog = ({ title, text, action, onConfirm, onClose }: { title: string; text: string; action: string; onConfirm: () => void; onClose: () => void }) => (
  <Dialog open onClose={onClose} aria-labelledby="confirm-title" aria-describedby="confirm-text">
    <DialogTitle id="confirm-title">{title}</DialogTitle>
    <DialogContent>
      <DialogContentText id="confirm-text">{text}</DialogContentText>
    </DialogContent>
    <DialogActions>
      <Button onClick={onClose} autoFocus>
        Cancel
      </Button>
      <Button
        color="error"
        variant="contained"
        onClick={() => {
          onClose();
          onConfirm();
        }}
      >
        {action}
      </Button>
    </DialogActions>
  </Dialog>
);
