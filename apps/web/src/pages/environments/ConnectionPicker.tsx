import { Autocomplete, Button, Stack, TextField } from '@mui/material';
import { useState } from 'react';

export interface PickerOption {
  id: string;
  label: string;
  detail?: string;
  disabled?: boolean;
}

/**
 * A search-as-you-type picker over a list the API pages (`onSearch` asks it again), then one
 * button to act on the choice: keyboard usable (arrows, Enter, then Tab to the button).
 */
export const Picker = ({
  label,
  action,
  options,
  loading,
  disabled,
  onSearch,
  onPick,
}: {
  label: string;
  action: string;
  options: PickerOption[];
  loading: boolean;
  disabled: boolean;
  onSearch: (search: string) => void;
  onPick: (id: string) => Promise<unknown>;
}) => {
  const [chosen, setChosen] = useState<PickerOption | null>(null);
  return (
    <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' } }}>
      <Autocomplete
        sx={{ minWidth: 280, flexGrow: 1, maxWidth: 480 }}
        size="small"
        options={options}
        loading={loading}
        value={chosen}
        onChange={(_, option) => setChosen(option)}
        onInputChange={(_, text, reason) => reason === 'input' && onSearch(text)}
        // The API searched already: show its answer as it is.
        filterOptions={(all) => all}
        getOptionDisabled={(option) => option.disabled === true}
        isOptionEqualToValue={(option, value) => option.id === value.id}
        getOptionLabel={(option) => option.label}
        // React wants the key apart from the spread props; MUI's is the label, which two options may share.
        renderOption={({ key, ...props }, option) => (
          <li key={`${key}:${option.id}`} {...props}>
            {option.label}
            {option.detail ? ` (${option.detail})` : ''}
          </li>
        )}
        noOptionsText="Nothing to add"
        renderInput={(params) => <TextField {...params} label={label} />}
      />
      <Button
        variant="outlined"
        disabled={disabled || chosen === null}
        onClick={async () => {
          if (!chosen) return;
          await onPick(chosen.id);
          setChosen(null);
          onSearch('');
        }}
      >
        {action}
      </Button>
    </Stack>
  );
};
