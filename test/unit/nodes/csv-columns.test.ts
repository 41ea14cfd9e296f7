import { InputFileError } from '../../../src/data/errors';
import { ColumnsSchema } from '../../../src/model/columns/columns';
import { SourceCsvParams } from '../../../src/model/nodes/source-csv';
import { csvColumns } from '../../../src/nodes/data/csv-columns';

const params = (extra: object = {}) => SourceCsvParams.parse({ path: 'x.csv', ...extra });
const names = (r: ReturnType<typeof csvColumns>) => r.columns.map((c) => c.name);

describe('csvColumns', () => {
  it('headers: normalize (the default) names text columns from any header and lists the renamed ones', () => {
    const r = csvColumns('n', params(), ['id', 'Airport Name', 'Cost Total $', 'cost total']);
    expect(names(r)).toEqual(['id', 'airport_name', 'cost_total', 'cost_total_2']);
    expect(r.columns.every((c) => c.type === 'text')).toBe(true);
    expect(r.renamed).toEqual({
      'Airport Name': 'airport_name',
      'Cost Total $': 'cost_total',
      'cost total': 'cost_total_2',
    });
    expect(r.renamedCount).toBe(3);
  });

  it('headers: strict keeps names as written and refuses one that is not a column name, naming node and file', () => {
    expect(names(csvColumns('n', params({ headers: 'strict' }), [' ID', 'name']))).toEqual(['ID', 'name']);
    expect(() => csvColumns('n', params({ headers: 'strict' }), ['Airport Name'])).toThrow(InputFileError);
    expect(() => csvColumns('n', params({ headers: 'strict' }), ['Airport Name'])).toThrow(
      /node "n": input file x.csv: header name "Airport Name" cannot be a column name .*headers: normalize/,
    );
  });

  it('declared columns match header names as written (case-insensitively) or once normalized', () => {
    const columns = ColumnsSchema.parse([
      { name: 'ID', type: 'int' },
      { name: 'airport_name', type: 'text' },
      { name: 'cost_total', type: 'int' },
    ]);
    const r = csvColumns('n', params({ columns }), ['id', 'Airport Name', 'Cost Total $']);
    expect(r.columns).toEqual(columns);
    expect(r.renamed).toEqual({ id: 'ID', 'Airport Name': 'airport_name', 'Cost Total $': 'cost_total' });
    // As before this option: the names as written still match, in strict mode too.
    expect(() =>
      csvColumns('n', params({ columns, headers: 'strict' }), ['id', 'airport_name', 'COST_TOTAL']),
    ).not.toThrow();
    expect(() => csvColumns('n', params({ columns, headers: 'strict' }), ['id', 'Airport Name', 'cost_total'])).toThrow(
      /the header names .* but the columns are/,
    );
    expect(() => csvColumns('n', params({ columns }), ['id', 'airport'])).toThrow(/fix the header or the columns/);
  });

  it('no header: the declared columns; an empty file without columns says to declare them', () => {
    const columns = ColumnsSchema.parse([{ name: 'a', type: 'text' }]);
    expect(csvColumns('n', params({ header: false, columns }), undefined).columns).toEqual(columns);
    expect(() => csvColumns('n', params(), undefined)).toThrow(/is empty: there is no header/);
  });

  it('lists at most 50 renamed names but counts them all', () => {
    const header = Array.from({ length: 80 }, (_, i) => `Col ${i}`);
    const r = csvColumns('n', params(), header);
    expect(Object.keys(r.renamed)).toHaveLength(50);
    expect(r.renamedCount).toBe(80);
  });
});
