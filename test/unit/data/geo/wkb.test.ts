/**
 * The GeoJSON to hex EWKB encoder: byte layout of each kind (checked against PostGIS's own output in
 * test/integration/data/geometry.ewkb-vs-postgis.test.ts), Z, empty geometries, and the reasons it refuses values.
 */
import { geojsonToEwkbHex } from '../../../../src/data/geo/wkb';
import { checkEwkbHex } from '../../../../src/data/geo/ewkb-hex';
import { geometryTypmod } from '../../../../src/data/geo/kinds';

const enc = (g: unknown, o: object = {}) => geojsonToEwkbHex(g, { srid: 4326, ...o }).toUpperCase();
const refusal = (g: unknown, o: object = {}): string => {
  try {
    geojsonToEwkbHex(g, { srid: 4326, ...o });
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('accepted');
};

test('a point is PostGIS EWKB: little-endian, SRID flag, SRID, x and y', () => {
  // SELECT ST_AsEWKB('SRID=4326;POINT(1 2)') in PostGIS.
  expect(enc({ type: 'Point', coordinates: [1, 2] })).toBe('0101000020E6100000000000000000F03F0000000000000040');
});

test('Z positions set the Z flag and write three doubles; a 2D column drops the Z', () => {
  expect(enc({ type: 'Point', coordinates: [1, 2, 3] }, { z: true })).toBe(
    '01010000A0E6100000000000000000F03F00000000000000400000000000000840',
  );
  expect(enc({ type: 'Point', coordinates: [1, 2, 3] }, { z: false })).toBe(
    '0101000020E6100000000000000000F03F0000000000000040',
  );
});

test('a polygon with a hole: ring count, then each ring with its point count', () => {
  const hex = enc({
    type: 'Polygon',
    coordinates: [
      [
        [0, 0],
        [10, 0],
        [10, 10],
        [0, 10],
        [0, 0],
      ],
      [
        [2, 2],
        [3, 2],
        [3, 3],
        [2, 2],
      ],
    ],
  });
  expect(hex.slice(0, 18)).toBe('0103000020E6100000');
  expect(hex.slice(18, 26)).toBe('02000000');
  expect(hex.slice(26, 34)).toBe('05000000');
  expect(hex.length).toBe(2 * (9 + 4 + 4 + 5 * 16 + 4 + 4 * 16));
});

test('multi-geometries and collections: parts carry their own header without SRID', () => {
  const hex = enc({
    type: 'MultiPoint',
    coordinates: [
      [1, 2],
      [3, 4],
    ],
  });
  expect(hex.slice(0, 26)).toBe('0104000020E610000002000000');
  expect(hex.slice(26, 36)).toBe('0101000000');
  const gc = enc({ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [1, 2] }] });
  expect(gc).toBe('0107000020E6100000010000000101000000000000000000F03F0000000000000040');
  expect(enc({ type: 'GeometryCollection', geometries: [] })).toBe('0107000020E610000000000000');
});

test('empty geometries: a point of NaNs, zero-length lists', () => {
  expect(enc({ type: 'Point', coordinates: [] })).toBe('0101000020E6100000000000000000F87F000000000000F87F');
  expect(enc({ type: 'LineString', coordinates: [] })).toBe('0102000020E610000000000000');
  expect(enc({ type: 'MultiPolygon', coordinates: [] })).toBe('0106000020E610000000000000');
});

test('values that are not geometries the column holds are refused with the reason', () => {
  expect(refusal(null)).toMatch(/not a GeoJSON geometry object/);
  expect(refusal({ type: 'Feature', geometry: null })).toMatch(/not a GeoJSON geometry type: "Feature"/);
  expect(refusal({ type: 'toString', coordinates: [] })).toMatch(/not a GeoJSON geometry type/);
  expect(refusal({ type: 'Point' })).toMatch(/coordinates are missing/);
  expect(refusal({ type: 'Point', coordinates: [1] })).toMatch(/at least longitude and latitude/);
  expect(refusal({ type: 'Point', coordinates: ['1', 2] })).toMatch(/finite numbers/);
  expect(refusal({ type: 'Point', coordinates: [181, 2] })).toMatch(/out of range for SRID 4326/);
  expect(refusal({ type: 'Point', coordinates: [1, -90.5] })).toMatch(/out of range for SRID 4326/);
  expect(refusal({ type: 'LineString', coordinates: [[1, 2]] })).toMatch(/at least 2 positions/);
  expect(
    refusal({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      ],
    }),
  ).toMatch(/ring must end where it starts/);
  expect(
    refusal({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 1],
          [0, 0],
        ],
      ],
    }),
  ).toMatch(/at least 4 positions/);
  expect(
    refusal(
      {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
      { kind: 'Point' },
    ),
  ).toBe('a LineString in a column of Point');
  expect(
    refusal(
      {
        type: 'LineString',
        coordinates: [
          [0, 0, 1],
          [1, 1],
        ],
      },
      { z: true },
    ),
  ).toMatch(/mixes positions/);
});

test('other SRIDs take any finite coordinates', () => {
  expect(geojsonToEwkbHex({ type: 'Point', coordinates: [500000, 4649776] }, { srid: 32633 })).toMatch(
    /^0101000020797f0000/,
  );
});

test('hex WKB values are checked and given the column SRID when they have none', () => {
  // WKB of POINT(1 2), no SRID.
  expect(checkEwkbHex('0101000000000000000000F03F0000000000000040', { srid: 4326 }).toUpperCase()).toBe(
    '0101000020E6100000000000000000F03F0000000000000040',
  );
  expect(() => checkEwkbHex('0101000020E6100000000000000000F03F0000000000000040', { srid: 3857 })).toThrow(
    "has SRID 4326 but the column's is 3857",
  );
  expect(() => checkEwkbHex('0101000000000000000000F03F0000000000000040', { srid: 4326, kind: 'Polygon' })).toThrow(
    'a Point in a column of Polygon',
  );
  expect(() => checkEwkbHex('POINT(1 2)', { srid: 4326 })).toThrow(/nor hex WKB/);
});

test('geometry typmods as format_type writes them', () => {
  expect(geometryTypmod('geometry(PointZ,4326)')).toEqual({ kind: 'Point', z: true, srid: 4326 });
  expect(geometryTypmod('geometry(MultiPolygon,3857)')).toEqual({ kind: 'MultiPolygon', z: false, srid: 3857 });
  expect(geometryTypmod('geometry(Geometry,4326)')).toEqual({ z: false, srid: 4326 });
  expect(geometryTypmod('geometry')).toEqual({ z: false, srid: 0 });
});
