/**
 * The hex (E)WKB decoder: every kind the encoder writes comes back as the same GeoJSON, either byte order, ISO Z
 * codes, M dropped, the SRID of the outermost header, and clear errors for values that are not well-formed WKB.
 */
import { geojsonToEwkbHex } from '../../../../src/data/geo/wkb';
import { decodeEwkbHex, ewkbHexToGeojson } from '../../../../src/data/geo/wkb-decode';
import { EVERY_KIND } from '../../../helpers/geojson-fixtures';

const refusal = (hex: string): string => {
  try {
    decodeEwkbHex(hex);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('accepted');
};

test('every kind round-trips through the encoder, with the SRID of its header', () => {
  for (const g of EVERY_KIND) {
    const hex = geojsonToEwkbHex(g, { srid: 3857 });
    expect(decodeEwkbHex(hex)).toEqual({ geometry: g, srid: 3857 });
  }
});

test('Z positions, an empty point and empty multi-parts round-trip', () => {
  const z = {
    type: 'LineString',
    coordinates: [
      [1, 2, 3],
      [4, 5, 6],
    ],
  };
  expect(ewkbHexToGeojson(geojsonToEwkbHex(z, { srid: 4326, z: true }))).toEqual(z);
  for (const g of [
    { type: 'Point', coordinates: [] },
    { type: 'MultiPolygon', coordinates: [] },
    { type: 'LineString', coordinates: [] },
  ])
    expect(ewkbHexToGeojson(geojsonToEwkbHex(g, { srid: 4326 }))).toEqual(g);
});

test('big-endian WKB, plain WKB without SRID, ISO Z and M codes', () => {
  // SELECT ST_AsEWKB('SRID=4326;POINT(1 2)', 'XDR')
  expect(decodeEwkbHex('0020000001000010E63FF00000000000004000000000000000')).toEqual({
    geometry: { type: 'Point', coordinates: [1, 2] },
    srid: 4326,
  });
  // ST_AsBinary('POINT(1 2)'): no SRID.
  expect(decodeEwkbHex('0101000000000000000000F03F0000000000000040')).toEqual({
    geometry: { type: 'Point', coordinates: [1, 2] },
  });
  // ISO WKB POINT Z (1 2 3): type 1001.
  expect(ewkbHexToGeojson('01E9030000000000000000F03F00000000000000400000000000000840')).toEqual({
    type: 'Point',
    coordinates: [1, 2, 3],
  });
  // EWKB POINT M (1 2 9): the M flag, the M value dropped.
  expect(ewkbHexToGeojson('0101000040000000000000F03F00000000000000400000000000002240')).toEqual({
    type: 'Point',
    coordinates: [1, 2],
  });
});

test('values that are not well-formed WKB are refused with the reason', () => {
  expect(refusal('xyz')).toMatch(/not hex WKB/);
  expect(refusal('0101000020E6100000000000000000F03F')).toMatch(/ends early/);
  expect(refusal('0101000020E6100000000000000000F03F000000000000004000')).toMatch(/1 bytes after/);
  expect(refusal('0263000000000000000000F03F0000000000000040')).toMatch(/byte order/);
  expect(refusal('0109000000000000000000F03F0000000000000040')).toMatch(/unknown geometry type 9/);
  expect(refusal('0104000000FFFFFF7F')).toMatch(/past its end/);
});
