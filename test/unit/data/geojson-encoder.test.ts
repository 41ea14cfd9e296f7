/**
 * Rows as GeoJSON features (sink.file's geojson and geojsonseq): the geometry column decoded from hex EWKB or taken
 * as GeoJSON text, NULL geometry as null, the id as a number for numeric columns, properties typed as NDJSON writes
 * them, another geometry column as a GeoJSON object; a FeatureCollection written across chunks is one JSON document.
 */
import { createFeatureEncoder } from '../../../src/data/formats/geojson-encoder';
import { geojsonToEwkbHex } from '../../../src/data/geo/wkb';
import type { ColumnSpec } from '../../../src/model/columns/columns';
import { EVERY_KIND } from '../../helpers/geojson-fixtures';

const col = (name: string, type: ColumnSpec['type']): ColumnSpec => ({
  name,
  type,
  emptyIsNull: false,
  nullable: true,
});
const COLUMNS = [
  col('id', 'int'),
  col('name', 'text'),
  col('ok', 'bool'),
  col('geom', 'geometry'),
  col('extra', 'json'),
];
const hex = (g: object) => geojsonToEwkbHex(g, { srid: 4326 });

test('a FeatureCollection written in two chunks parses as one, every kind decoded', () => {
  const enc = createFeatureEncoder(COLUMNS, { geometry: 3, id: 0 }, 'collection');
  const rows = EVERY_KIND.map((g, i) => [String(i), i % 2 ? null : `n"${i}`, i % 3 ? 't' : 'f', hex(g), '{"a":[1]}']);
  const text = enc.head + enc.rows(rows.slice(0, 3)) + enc.rows(rows.slice(3)) + enc.rows([]) + enc.tail;
  const fc = JSON.parse(text) as { type: string; features: unknown[] };
  expect(fc.type).toBe('FeatureCollection');
  expect(fc.features).toEqual(
    EVERY_KIND.map((g, i) => ({
      type: 'Feature',
      id: i,
      properties: { name: i % 2 ? null : `n"${i}`, ok: i % 3 !== 0, extra: { a: [1] } },
      geometry: g,
    })),
  );
});

test('an empty collection is valid JSON', () => {
  const enc = createFeatureEncoder(COLUMNS, { geometry: 3 }, 'collection');
  expect(JSON.parse(enc.head + enc.tail)).toEqual({ type: 'FeatureCollection', features: [] });
});

test('a sequence is RS, one feature, LF; NULL geometry and id; GeoJSON text kept; a second geometry as an object', () => {
  const columns = [col('fid', 'text'), col('at', 'geometry'), col('area', 'geometry')];
  const enc = createFeatureEncoder(columns, { geometry: 1, id: 0 }, 'sequence');
  const point = { type: 'Point', coordinates: [1.5, 2] };
  const text = enc.rows([
    [null, null, hex(point)],
    ['x', '{"type":"Point","coordinates":[3,4]}', null],
  ]);
  expect(text).toBe(
    '\u001e{"type":"Feature","properties":{"area":{"type":"Point","coordinates":[1.5,2]}},"geometry":null}\n' +
      '\u001e{"type":"Feature","id":"x","properties":{"area":null},"geometry":{"type":"Point","coordinates":[3,4]}}\n',
  );
});

test('a value that is not WKB fails naming the feature and the column', () => {
  const enc = createFeatureEncoder([col('g', 'geometry')], { geometry: 0 }, 'sequence');
  expect(() => enc.rows([['0101']])).toThrow(/^feature 0: column g: not hex WKB/);
});
