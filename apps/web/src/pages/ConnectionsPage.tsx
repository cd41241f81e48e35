import {
  Alert,
  Box,
  Button,
  Checkbox,
  CircularProgress,
  FormControl,
  InputLabel,
  Link,
  ListItemText,
  MenuItem,
  OutlinedInput,
  Paper,
  Select,
  Snackbar,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TablePagination,
  TableRow,
  TableSortLabel,
  TextField,
  Typography,
} from '@mui/material';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { Suspense, lazy, useMemo, useState } from 'react';
import { STATUSES, type ConnectionView } from '@clp/contracts';
import { messageOf } from '../lib/api';
import { DEFAULT_FILTERS, PAGE_SIZES, filtersToQuery, parseFilters, toggleOrder, withFilter, type ConnectionFilters } from '../lib/filters';
import { connectionPath } from '../lib/routes';
import { canChange } from '../lib/transitions';
import { useConnections, useDefinitions, useStatusSummary } from '../queries';
import { navigate, useLocation } from '../router';
import { useSession } from '../session-context';
import { StatusChip } from './StatusChip';
import { TransitionMenu } from './TransitionMenu';

// The modal brings react-jsonschema-form and its validator: loaded when first opened, not with the table.
const RegistrationModal = lazy(() => import('./registration/RegistrationModal'));

const SORTABLE: Record<string, 'name' | 'updated_at'> = { name: 'name', updated_at: 'updated_at' };

const show = (filters: ConnectionFilters, replace = false) => {
  const query = filtersToQuery(filters);
  navigate(query ? `/?${query}` : '/', replace);
};

const openConnection = (id: string) => (event: React.MouseEvent) => {
  if (event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigate(connectionPath(id));
};

/** Meshery's Connections table (seed 000): the URL holds the filters, the API pages and sorts. */
export const ConnectionsPage = () => {
  const { query } = useLocation();
  const filters = parseFilters(query);
  const connections = useConnections(filters);
  const summary = useStatusSummary();
  const definitions = useDefinitions();
  const [failure, setFailure] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);
  const { role } = useSession();

  const kinds = [...(definitions.data?.keys() ?? [])].sort();
  const types = [...new Set([...(definitions.data?.values() ?? [])].map((definition) => definition.type))].sort();

  const columns = useMemo<ColumnDef<ConnectionView>[]>(
    () => [
      {
        id: 'name',
        header: 'Name',
        cell: ({ row }) => (
          <Link href={connectionPath(row.original.id)} onClick={openConnection(row.original.id)}>
            {row.original.name}
          </Link>
        ),
      },
      { id: 'kind', header: 'Kind', cell: ({ row }) => row.original.kind },
      { id: 'type', header: 'Type', cell: ({ row }) => row.original.type },
      { id: 'status', header: 'Status', cell: ({ row }) => <StatusChip status={row.original.status} /> },
      {
        id: 'environments',
        header: 'Environments',
        cell: ({ row }) => row.original.environments.map((environment) => environment.name).join(', ') || '—',
      },
      { id: 'updated_at', header: 'Updated', cell: ({ row }) => <time dateTime={row.original.updated_at}>{new Date(row.original.updated_at).toLocaleString()}</time> },
      { id: 'actions', header: 'Actions', cell: ({ row }) => <TransitionMenu connection={row.original} onError={setFailure} /> },
    ],
    [],
  );
  const table = useReactTable({
    data: connections.data?.connections ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (connection) => connection.id,
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    rowCount: connections.data?.total_count ?? 0,
  });
  const [orderField, orderDirection] = filters.order.split(' ');
  const filtered = filtersToQuery({ ...filters, page: 0, pageSize: DEFAULT_FILTERS.pageSize, order: DEFAULT_FILTERS.order }) !== '';

  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap' }}>
        <Typography variant="h4" component="h1">
          Connections
        </Typography>
        {canChange(role) && (
          <Button variant="contained" onClick={() => setRegistering(true)}>
            Register connection
          </Button>
        )}
      </Stack>
      {registering && (
        <Suspense fallback={<CircularProgress size={24} aria-label="Loading the registration form" />}>
          <RegistrationModal open onClose={() => setRegistering(false)} />
        </Suspense>
      )}

      <Box component="nav" aria-label="Connections per status" sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
        {summary.isError && <Alert severity="error">Status summary: {messageOf(summary.error)}</Alert>}
        {summary.data?.connections_status.map(({ status, count }) => (
          <Button
            key={status}
            size="small"
            variant={filters.status.length === 1 && filters.status[0] === status ? 'contained' : 'outlined'}
            data-summary={status}
            onClick={() => show(withFilter(filters, 'status', [status]))}
          >
            {status}: {count}
          </Button>
        ))}
      </Box>

      <Stack direction={{ xs: 'column', md: 'row' }} spacing={1}>
        <TextField
          label="Search"
          size="small"
          value={filters.search}
          onChange={(event) => show(withFilter(filters, 'search', event.target.value), true)}
          sx={{ minWidth: 220 }}
        />
        <MultiSelect label="Status" options={[...STATUSES]} value={filters.status} onChange={(status) => show(withFilter(filters, 'status', status as ConnectionFilters['status']))} />
        <MultiSelect label="Kind" options={kinds} value={filters.kind} onChange={(kind) => show(withFilter(filters, 'kind', kind))} />
        <MultiSelect label="Type" options={types} value={filters.type} onChange={(type) => show(withFilter(filters, 'type', type))} />
        {filtered && (
          <Button onClick={() => show({ ...DEFAULT_FILTERS, pageSize: filters.pageSize, order: filters.order })}>Clear filters</Button>
        )}
      </Stack>

      {connections.isError && (
        <Alert severity="error" action={<Button onClick={() => connections.refetch()}>Retry</Button>}>
          Connections could not be loaded: {messageOf(connections.error)}
        </Alert>
      )}

      <Paper>
        <TableContainer sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label="Connections" aria-busy={connections.isFetching}>
            <TableHead>
              {table.getHeaderGroups().map((group) => (
                <TableRow key={group.id}>
                  {group.headers.map((header) => {
                    const field = SORTABLE[header.id];
                    const label = flexRender(header.column.columnDef.header, header.getContext());
                    return (
                      <TableCell key={header.id} sortDirection={field && orderField === field ? (orderDirection as 'asc' | 'desc') : false}>
                        {field ? (
                          <TableSortLabel
                            active={orderField === field}
                            direction={orderField === field ? (orderDirection as 'asc' | 'desc') : 'asc'}
                            onClick={() => show({ ...filters, order: toggleOrder(filters.order, field), page: 0 })}
                          >
                            {label}
                          </TableSortLabel>
                        ) : (
                          label
                        )}
                      </TableCell>
                    );
                  })}
                </TableRow>
              ))}
            </TableHead>
            <TableBody>
              {connections.isPending && (
                <TableRow>
                  <TableCell colSpan={columns.length} align="center">
                    <CircularProgress size={24} aria-label="Loading connections" />
                  </TableCell>
                </TableRow>
              )}
              {connections.isSuccess && table.getRowModel().rows.length === 0 && (
                <TableRow>
                  <TableCell colSpan={columns.length} align="center" data-testid="empty">
                    {filtered ? 'No connection matches these filters.' : 'No connections yet. Register one, or let discovery find them.'}
                  </TableCell>
                </TableRow>
              )}
              {table.getRowModel().rows.map((row) => (
                <TableRow key={row.id} hover data-connection={row.original.name}>
                  {row.getVisibleCells().map((cell) => (
                    <TableCell key={cell.id} data-column={cell.column.id}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        <TablePagination
          component="div"
          count={connections.data?.total_count ?? 0}
          page={connections.data && filters.page * filters.pageSize < connections.data.total_count ? filters.page : 0}
          rowsPerPage={filters.pageSize}
          rowsPerPageOptions={[...PAGE_SIZES]}
          onPageChange={(_, page) => show({ ...filters, page })}
          onRowsPerPageChange={(event) => show({ ...filters, pageSize: Number(event.target.value), page: 0 })}
        />
      </Paper>

      <Snackbar open={failure !== null} onClose={() => setFailure(null)} anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}>
        <Alert severity="error" onClose={() => setFailure(null)} role="alert" data-testid="action-error">
          {failure}
        </Alert>
      </Snackbar>
    </Stack>
  );
};

const MultiSelect = ({ label, options, value, onChange }: { label: string; options: string[]; value: string[]; onChange: (value: string[]) => void }) => {
  const id = `filter-${label.toLowerCase()}`;
  return (
    <FormControl size="small" sx={{ minWidth: 180 }}>
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
          <MenuItem key={option} value={option}>
            <Checkbox checked={value.includes(option)} size="small" />
            <ListItemText primary={option} />
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
};
