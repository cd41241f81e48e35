import { Alert, Button, CircularProgress, Paper, Table, TableBody, TableCell, TableContainer, TableHead, TablePagination, TableRow } from '@mui/material';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { UseQueryResult } from '@tanstack/react-query';
import { messageOf } from '../../lib/api';
import { LIST_PAGE_SIZES } from '../../lib/environments';

/**
 * A table of one API page (TanStack Table, paged by the server): a loading row, the empty text,
 * the API's message with Retry, and pagination when `paging` is given.
 */
export const DataTable = <Row extends { id: string }, Answer>({
  label,
  query,
  rows,
  total,
  columns,
  empty,
  paging,
  rowAttribute = 'data-row',
}: {
  label: string;
  query: UseQueryResult<Answer>;
  rows: Row[];
  total: number;
  columns: ColumnDef<Row>[];
  empty: string;
  paging?: { page: number; pageSize: number; onPage: (page: number) => void; onPageSize: (pageSize: number) => void };
  rowAttribute?: string;
}) => {
  const table = useReactTable({ data: rows, columns, getCoreRowModel: getCoreRowModel(), getRowId: (row) => row.id, manualPagination: true, rowCount: total });
  return (
    <Paper>
      {query.isError && (
        <Alert severity="error" action={<Button onClick={() => query.refetch()}>Retry</Button>}>
          {label} could not be loaded: {messageOf(query.error)}
        </Alert>
      )}
      <TableContainer sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label={label} aria-busy={query.isFetching}>
          <TableHead>
            {table.getHeaderGroups().map((group) => (
              <TableRow key={group.id}>
                {group.headers.map((header) => (
                  <TableCell key={header.id}>{flexRender(header.column.columnDef.header, header.getContext())}</TableCell>
                ))}
              </TableRow>
            ))}
          </TableHead>
          <TableBody>
            {query.isPending && (
              <TableRow>
                <TableCell colSpan={columns.length} align="center">
                  <CircularProgress size={24} aria-label={`Loading ${label.toLowerCase()}`} />
                </TableCell>
              </TableRow>
            )}
            {query.isSuccess && rows.length === 0 && (
              <TableRow>
                <TableCell colSpan={columns.length} align="center" data-testid="empty">
                  {empty}
                </TableCell>
              </TableRow>
            )}
            {table.getRowModel().rows.map((row) => (
              <TableRow key={row.id} hover {...{ [rowAttribute]: (row.original as { name?: string }).name ?? row.id }}>
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
      {paging && (
        <TablePagination
          component="div"
          count={total}
          page={paging.page * paging.pageSize < total ? paging.page : 0}
          rowsPerPage={paging.pageSize}
          rowsPerPageOptions={[...LIST_PAGE_SIZES]}
          onPageChange={(_, page) => paging.onPage(page)}
          onRowsPerPageChange={(event) => paging.onPageSize(Number(event.target.value))}
        />
      )}
    </Paper>
  );
};

/** A link that moves within the UI without a reload (a modified click opens a tab as usual). */
export const inApp = (navigateTo: (href: string) => void, href: string) => (event: React.MouseEvent) => {
  if (event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  navigateTo(href);
};

export const when = (iso: string) => <time dateTime={iso}>{new Date(iso).toLocaleString()}</time>;
