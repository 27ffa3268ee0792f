/**
 * A table's header row: one column header per name, scoped to its column
 * so that screen readers announce it with each cell.
 *
 * @module
 */

export function ColumnHeads({ names }: { names: string[] }) {
  return (
    <thead>
      <tr>
        {names.map((name) => <th scope="col" key={name}>{name}</th>)}
      </tr>
    </thead>
  );
}
