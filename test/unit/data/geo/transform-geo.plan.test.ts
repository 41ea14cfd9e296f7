/**
 * transform.geo's pure parts: params validation (EPSG codes, within's one region), the plan's output columns (types,
 * SRIDs and kinds known before any row), plan errors naming the operation, and per-row application in order.
 */
import type { ColumnSpec } from '../../../../src/model/columns/columns';
import { compileGeoPlan, GeoPlanError } from '../../../../src/data/transforms/geo-plan';
import { centroidOf } from '../../../../src/data/geo/centroid';
import { gaussianRadius } from '../../../../src/data/geo/buffer';
import { projector } from '../../../../src/data/geo/proj';
import { bboxRegion } from '../../../../src/data/geo/within-region';
import { geojsonToEwkbHex } from '../../../../src/data/geo/wkb';
import { ewkbHexToGeojson } from '../../../../src/data/geo/wkb-decode';
import { TransformGeoParams } from '../../../../src/model/nodes/transform-geo';

const col = (name: string, type: ColumnSpec['type'], extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  name,
  type,
  emptyIsNull: false,
  nullable: true,
  ...extra,
});
const INPUT = [col('id', 'int'), col('mag', 'float'), col('geom', 'geometry', { kind: 'Point' })];
const ops = (operations: unknown[]) => TransformGeoParams.parse({ operations }).operations;
const hex = (g: object, srid = 4326) => geojsonToEwkbHex(g, { srid });

describe('params', () => {
  const issues = (operations: unknown[]) => {
    const r = TransformGeoParams.safeParse({ operations });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  test('an unknown EPSG code is refused, naming the code and the ones supported', () => {
    expect(issues([{ op: 'reproject', to: 2154 }])).toEqual([
      expect.stringMatching(/^operations\.0\.to: EPSG:2154 is not a coordinate system .* 32701-32760 \(south\)$/),
    ]);
    for (const to of [4326, 3857, 32601, 32660, 32701, 32760]) expect(issues([{ op: 'reproject', to }])).toEqual([]);
    for (const to of [32600, 32661, 32700, 32761, 900913]) expect(issues([{ op: 'reproject', to }])).toHaveLength(1);
  });
  test('within takes exactly one region; an unknown op lists the known ones', () => {
    expect(issues([{ op: 'within' }])).toEqual(['operations.0: within takes exactly one of bbox, polygon or file']);
    expect(issues([{ op: 'within', bbox: [0, 0, 1, 1], file: 'x.geojson' }])).toHaveLength(1);
    expect(issues([{ op: 'within', bbox: [1, 0, 0, 1] }])).toEqual([
      'operations.0.bbox: bbox is [minx, miny, maxx, maxy] with min < max',
    ]);
    expect(issues([{ op: 'rotate' }])[0]).toMatch(/Expected 'buffer' \| 'reproject' \| 'centroid'/);
    expect(issues([])).toEqual(['operations: give at least one operation']);
  });
  test('a distance expression is checked for syntax', () => {
    expect(issues([{ op: 'buffer', distance: 'mag *' }])).toHaveLength(1);
  });
});

describe('output columns', () => {
  test('each operation declares its column type, SRID and kind; a known name is replaced in place', () => {
    const plan = compileGeoPlan(
      ops([
        { op: 'buffer', distance: 10, output: 'zone' },
        { op: 'area', input: 'zone' },
        { op: 'length', input: 'zone', output: 'mag' },
        { op: 'reproject', input: 'zone', to: 32633 },
        { op: 'centroid', output: 'c' },
        { op: 'simplify', tolerance: 0.1, output: 's' },
        { op: 'bbox', input: 'zone', output: ['x0', 'y0', 'x1', 'y1'] },
        { op: 'point', lon: 'x0', lat: 'y0', output: 'p' },
        { op: 'within', bbox: [0, 0, 1, 1] },
      ]),
      INPUT,
      new Map([[8, bboxRegion([0, 0, 1, 1])]]),
    );
    expect(plan.columns.map((c) => [c.name, c.type, c.srid, c.kind])).toEqual([
      ['id', 'int', undefined, undefined],
      ['mag', 'float', undefined, undefined],
      ['geom', 'geometry', undefined, 'Point'],
      ['zone', 'geometry', 32633, 'Polygon'],
      ['area_m2', 'float', undefined, undefined],
      ['c', 'geometry', 4326, 'Point'],
      ['s', 'geometry', 4326, 'Point'],
      ['x0', 'float', undefined, undefined],
      ['y0', 'float', undefined, undefined],
      ['x1', 'float', undefined, undefined],
      ['y1', 'float', undefined, undefined],
      ['p', 'geometry', 4326, 'Point'],
    ]);
  });
  test('a buffer of polygons or of any kind has no fixed kind', () => {
    const plan = compileGeoPlan(ops([{ op: 'buffer', distance: 10 }]), [col('geom', 'geometry')]);
    expect(plan.columns[0]).toMatchObject({ type: 'geometry', srid: 4326, kind: undefined, z: false });
  });
});

describe('plan errors name the operation', () => {
  const planError = (operations: unknown[], input: ColumnSpec[] = INPUT) => {
    try {
      compileGeoPlan(ops(operations), input);
    } catch (err) {
      expect(err).toBeInstanceOf(GeoPlanError);
      return (err as Error).message;
    }
    throw new Error('no plan error');
  };
  test('a missing, ambiguous or non-geometry input', () => {
    expect(planError([{ op: 'centroid' }], [col('id', 'int')])).toBe(
      'operations[0] centroid: there is no geometry column (columns: id); make one with point first',
    );
    expect(planError([{ op: 'centroid' }], [col('a', 'geometry'), col('b', 'geometry')])).toBe(
      'operations[0] centroid: there are several geometry columns (a, b); name one in input',
    );
    expect(planError([{ op: 'area', input: 'mag' }])).toBe(
      'operations[0] area: input column mag is float, not geometry',
    );
    expect(planError([{ op: 'area', input: 'nope' }])).toMatch(/input names column "nope", which is not among id, mag/);
  });
  test('a geodesic operation on projected coordinates, a reprojection from an unknown SRID', () => {
    const merc = [col('geom', 'geometry', { srid: 3857 })];
    expect(planError([{ op: 'length' }], merc)).toBe(
      'operations[0] length: needs longitude/latitude (SRID 4326) but geom has SRID 3857; reproject it to 4326 first',
    );
    expect(compileGeoPlan(ops([{ op: 'reproject', to: 4326 }, { op: 'length' }]), merc).columns).toHaveLength(2);
    expect(planError([{ op: 'reproject', to: 4326 }], [col('geom', 'geometry', { srid: 2154 })])).toMatch(
      /^operations\[0\] reproject: column geom has SRID 2154: EPSG:2154 is not a coordinate system/,
    );
  });
  test('a distance expression that is not a number', () => {
    expect(planError([{ op: 'buffer', distance: "'far'" }])).toBe(
      `operations[0] buffer: distance: the expression "'far'" is text, not a number`,
    );
  });
});

describe('rows', () => {
  test('operations apply in order; a geometry no operation wrote keeps its text as it came', () => {
    const plan = compileGeoPlan(
      ops([
        { op: 'reproject', to: 32633, output: 'utm' },
        { op: 'bbox', input: 'utm' },
        { op: 'area', input: 'geom' },
      ]),
      INPUT,
    );
    const geom = hex({ type: 'Point', coordinates: [15, 52] }).toUpperCase();
    const out = plan.apply(['1', '2.5', geom]) as string[];
    expect(out[2]).toBe(geom);
    expect((ewkbHexToGeojson(out[3] as string) as { coordinates: number[] }).coordinates).toEqual([
      500000,
      expect.closeTo(5761038.2126, 3),
    ]);
    expect(out.slice(4, 8).map(Number)).toEqual([500000, expect.closeTo(5761038.2126, 3), 500000, expect.any(Number)]);
    expect(out[8]).toBe('0');
  });
  test('a NULL geometry, a NULL distance and an out-of-range result are reasons naming the operation', () => {
    const plan = compileGeoPlan(ops([{ op: 'buffer', distance: 'mag * 1000' }]), INPUT);
    expect(() => plan.apply(['1', '2', null])).toThrow('operations[0] buffer: the geometry is NULL');
    expect(() => plan.apply(['1', null, hex({ type: 'Point', coordinates: [0, 0] })])).toThrow(
      'operations[0] buffer: the distance is NULL, not a number of metres',
    );
    expect(() => plan.apply(['1', '-1', hex({ type: 'Point', coordinates: [0, 0] })])).toThrow(
      'operations[0] buffer: buffer by -1000 m leaves nothing',
    );
    const near = compileGeoPlan(ops([{ op: 'buffer', distance: 50000 }]), INPUT);
    expect(() => near.apply(['1', '1', hex({ type: 'Point', coordinates: [179.9, 0] })])).toThrow(
      'operations[0] buffer: buffer by 50000 m crosses the antimeridian (longitude ±180)',
    );
  });
  test('a row rejected midway is left as it came (its raw text goes to the rejects table)', () => {
    const plan = compileGeoPlan(
      ops([
        { op: 'area', output: 'mag' },
        { op: 'reproject', to: 3857 },
      ]),
      INPUT,
    );
    const row = ['1', '2.5', hex({ type: 'Point', coordinates: [0, 90] })];
    expect(() => plan.apply(row)).toThrow('operations[1] reproject: [0, 90] is outside the domain of EPSG:3857');
    expect(row[1]).toBe('2.5');
  });
  test('within drops the rows outside (and on the boundary only), keeps the rows inside', () => {
    const plan = compileGeoPlan(
      ops([{ op: 'within', bbox: [0, 0, 1, 1] }]),
      INPUT,
      new Map([[0, bboxRegion([0, 0, 1, 1])]]),
    );
    const at = (x: number, y: number) => plan.apply(['1', '1', hex({ type: 'Point', coordinates: [x, y] })]);
    expect(at(0.5, 0.5)).toBeDefined();
    expect(at(1, 0.5)).toBeUndefined();
    expect(at(2, 0.5)).toBeUndefined();
  });
});

test('centroid: area-weighted with holes subtracted, over every part, as ST_Centroid', () => {
  const square = (x: number, y: number, d: number) => [
    [x, y],
    [x + d, y],
    [x + d, y + d],
    [x, y + d],
    [x, y],
  ];
  // A 4x4 square with a 2x2 hole in its right half: the centroid moves left of 2.
  expect(centroidOf({ type: 'Polygon', coordinates: [square(0, 0, 4), square(2, 1, 2)] }).coordinates).toEqual([
    (16 * 2 - 4 * 3) / 12,
    2,
  ]);
  expect(
    centroidOf({ type: 'MultiPolygon', coordinates: [[square(0, 0, 1)], [square(10, 0, 1)]] }).coordinates,
  ).toEqual([5.5, 0.5]);
  expect(
    centroidOf({
      type: 'MultiPoint',
      coordinates: [
        [0, 0],
        [2, 0],
        [4, 3],
      ],
    }).coordinates,
  ).toEqual([2, 1]);
  expect(
    centroidOf({
      type: 'LineString',
      coordinates: [
        [0, 0],
        [3, 0],
        [3, 1],
      ],
    }).coordinates,
  ).toEqual([(1.5 * 3 + 3 * 1) / 4, (0 * 3 + 0.5 * 1) / 4]);
  expect(() => centroidOf({ type: 'Point', coordinates: [] })).toThrow('an empty geometry has no centroid');
});

test('the Gaussian radius grows from the equator to the poles around the mean radius', () => {
  expect(gaussianRadius(0)).toBeCloseTo(6356752.3, 0);
  expect(gaussianRadius(90)).toBeCloseTo(6399593.6, 0);
  expect(gaussianRadius(-45)).toBeCloseTo(gaussianRadius(45), 6);
});

test('reprojection checks the source range and the target domain', () => {
  expect(() => projector(4326, 3857)([10, 91])).toThrow('[10, 91] is out of range for EPSG:4326');
  expect(() => projector(4326, 32601)([10, 0])).toThrow("longitude 10 is 173.0° from EPSG:32601's central meridian");
  const [x, y] = projector(32633, 4326)(projector(4326, 32633)([16.5, -20, 7]));
  expect([x, y]).toEqual([expect.closeTo(16.5, 9), expect.closeTo(-20, 9)]);
  expect(projector(4326, 32733)([16.5, -20, 7])[2]).toBe(7);
});
