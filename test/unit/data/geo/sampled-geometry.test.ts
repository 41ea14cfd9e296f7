/**
 * A plain `geometry` result column (no typmod) takes SRID and Z from the hex EWKB header of its first non-NULL value;
 * typed columns and other columns are left as they are.
 */
import { ewkbHeaderOf } from '../../../../src/data/geo/ewkb-hex';
import { geojsonToEwkbHex } from '../../../../src/data/geo/wkb';
import { withSampledGeometry } from '../../../../src/data/tables/result-columns';
import type { ColumnSpec } from '../../../../src/model/columns/columns';

const base = { emptyIsNull: false, nullable: true };
const pointZ = geojsonToEwkbHex({ type: 'Point', coordinates: [1, 2, 3] }, { srid: 3857 });

test('the header names kind, Z and SRID; plain WKB has no SRID', () => {
  expect(ewkbHeaderOf(pointZ)).toEqual({ kind: 'Point', z: true, srid: 3857 });
  // Big-endian ISO WKB of POINT(1 2), no SRID flag.
  expect(ewkbHeaderOf('00000000013ff00000000000004000000000000000')).toEqual({ kind: 'Point', z: false });
  expect(ewkbHeaderOf('zz')).toBeUndefined();
});

test('untyped geometry columns take SRID and Z from their first non-NULL value', () => {
  const columns: ColumnSpec[] = [
    { ...base, name: 'id', type: 'int' },
    { ...base, name: 'plain', type: 'geometry' },
    { ...base, name: 'typed', type: 'geometry', srid: 4326, kind: 'Point', z: false },
    { ...base, name: 'empty', type: 'geometry' },
  ];
  const rows = [
    ['1', null, null, null],
    ['2', pointZ, null, null],
  ];
  expect(withSampledGeometry(columns, rows)).toEqual([
    columns[0],
    { ...base, name: 'plain', type: 'geometry', srid: 3857, z: true },
    columns[2],
    columns[3],
  ]);
});
